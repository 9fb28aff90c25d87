package dev.athanor.pool.hikari;

import dev.athanor.testing.TestDatabase;

class HikariPoolMariadbTest extends AbstractHikariPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
