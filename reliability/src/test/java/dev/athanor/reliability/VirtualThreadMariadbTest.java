package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class VirtualThreadMariadbTest extends AbstractVirtualThreadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
