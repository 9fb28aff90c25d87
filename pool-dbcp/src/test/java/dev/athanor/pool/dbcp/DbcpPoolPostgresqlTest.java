package dev.athanor.pool.dbcp;

import dev.athanor.testing.TestDatabase;

class DbcpPoolPostgresqlTest extends AbstractDbcpPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
