package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** PostgreSQL rolls DDL back with the transaction; COMMIT sent as SQL ends it. */
class FailureModesPostgresqlTest extends AbstractFailureModesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
