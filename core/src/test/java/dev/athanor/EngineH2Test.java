package dev.athanor;

import dev.athanor.testing.TestDatabase;

class EngineH2Test extends AbstractEngineTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
