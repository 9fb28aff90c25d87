package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

class RollbackH2Test extends AbstractRollbackTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
