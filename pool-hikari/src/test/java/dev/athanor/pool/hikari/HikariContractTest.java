package dev.athanor.pool.hikari;

import dev.athanor.testkit.PoolBackendContract;

/** Runs the contract test kit's rules against the hikari backend on the stub driver, H2, PostgreSQL and MariaDB. */
class HikariContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "hikari";
    }
}
