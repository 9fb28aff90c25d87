package dev.athanor.pool.dbcp;

import dev.athanor.testkit.PoolBackendContract;

/** Runs the contract test kit's rules against the dbcp backend on the stub driver, H2, PostgreSQL and MariaDB. */
class DbcpContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "dbcp";
    }
}
