package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class RestartMariadbTest extends AbstractRestartTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
