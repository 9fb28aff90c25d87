package dev.athanor.pool.hikari;

import dev.athanor.testing.TestDatabase;

class HikariPoolH2Test extends AbstractHikariPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
