package dev.athanor.testkit.selftest;

import dev.athanor.testkit.SessionContract;

/** The session contract over core's {@code queue} pool, the default when no adapter is on the classpath. */
class QueuePoolSessionContractTest extends SessionContract {
    @Override
    protected String providerName() {
        return "queue";
    }
}
