package dev.athanor;

import dev.athanor.testing.TestDatabase;

class AutocommitH2Test extends AbstractAutocommitTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
