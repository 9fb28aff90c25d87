package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionConcurrencyH2Test extends AbstractSessionConcurrencyTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
