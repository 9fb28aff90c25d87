package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class VirtualThreadPostgresqlTest extends AbstractVirtualThreadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
