package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class NoLostDataPostgresqlTest extends AbstractNoLostDataTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
