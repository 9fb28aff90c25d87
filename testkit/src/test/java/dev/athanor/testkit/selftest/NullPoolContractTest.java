package dev.athanor.testkit.selftest;

import dev.athanor.testkit.PoolBackendContract;

/** Core's {@code null} pool (SQLAlchemy's NullPool) against the contract: the sizing rules are UNSUPPORTED. */
class NullPoolContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "null";
    }
}
