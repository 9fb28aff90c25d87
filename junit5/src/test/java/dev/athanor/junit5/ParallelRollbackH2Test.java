package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

class ParallelRollbackH2Test extends AbstractParallelRollbackTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
