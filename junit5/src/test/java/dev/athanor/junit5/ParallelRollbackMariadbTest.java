package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

class ParallelRollbackMariadbTest extends AbstractParallelRollbackTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
