package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class OverloadMariadbTest extends AbstractOverloadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
