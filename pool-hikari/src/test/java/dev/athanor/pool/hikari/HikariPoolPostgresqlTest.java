package dev.athanor.pool.hikari;

import dev.athanor.testing.TestDatabase;

class HikariPoolPostgresqlTest extends AbstractHikariPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
