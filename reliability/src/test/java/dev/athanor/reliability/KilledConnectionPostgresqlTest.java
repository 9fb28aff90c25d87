package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class KilledConnectionPostgresqlTest extends AbstractKilledConnectionTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
