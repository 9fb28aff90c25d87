package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class ReturnedHandleMariadbTest extends AbstractReturnedHandleTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
