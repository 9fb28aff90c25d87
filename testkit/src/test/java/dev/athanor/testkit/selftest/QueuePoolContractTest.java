package dev.athanor.testkit.selftest;

import dev.athanor.testkit.PoolBackendContract;

/** Core's {@code queue} pool (SQLAlchemy's QueuePool, the default) against the contract: every knob EXACT. */
class QueuePoolContractTest extends PoolBackendContract {
    @Override
    protected String providerName() {
        return "queue";
    }
}
