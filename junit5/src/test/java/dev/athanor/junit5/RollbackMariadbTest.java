package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

class RollbackMariadbTest extends AbstractRollbackTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
