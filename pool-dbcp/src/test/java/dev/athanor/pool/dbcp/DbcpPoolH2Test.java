package dev.athanor.pool.dbcp;

import dev.athanor.testing.TestDatabase;

class DbcpPoolH2Test extends AbstractDbcpPoolTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
