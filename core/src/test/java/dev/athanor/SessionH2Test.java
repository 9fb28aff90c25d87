package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionH2Test extends AbstractSessionTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
