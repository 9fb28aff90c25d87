package dev.athanor.testkit.selftest;

import dev.athanor.testkit.PoolBackendContract;

/** Core's {@code static} pool (SQLAlchemy's StaticPool) against the contract: the sizing rules are UNSUPPORTED. */
class StaticPoolContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "static";
    }
}
