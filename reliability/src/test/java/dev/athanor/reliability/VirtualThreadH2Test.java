package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class VirtualThreadH2Test extends AbstractVirtualThreadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
