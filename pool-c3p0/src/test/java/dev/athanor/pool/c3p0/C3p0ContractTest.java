package dev.athanor.pool.c3p0;

import dev.athanor.testkit.PoolBackendContract;

/** Runs the contract test kit's rules against the c3p0 backend on the stub driver, H2, PostgreSQL and MariaDB. */
class C3p0ContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "c3p0";
    }
}
