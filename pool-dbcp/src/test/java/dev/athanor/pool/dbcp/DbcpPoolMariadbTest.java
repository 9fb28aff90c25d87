package dev.athanor.pool.dbcp;

import dev.athanor.testing.TestDatabase;

class DbcpPoolMariadbTest extends AbstractDbcpPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
