package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class SlowConnectPostgresqlTest extends AbstractSlowConnectTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
