package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

class ParallelRollbackPostgresqlTest extends AbstractParallelRollbackTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
