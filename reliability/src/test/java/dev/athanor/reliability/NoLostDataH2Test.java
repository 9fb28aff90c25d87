package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class NoLostDataH2Test extends AbstractNoLostDataTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
