package dev.athanor.testkit.selftest;

import dev.athanor.testkit.SessionContract;

/** The session contract over core's {@code null} pool (every connection opened per checkout, closed on return). */
class NullPoolSessionContractTest extends SessionContract {
    @Override
    protected String providerName() {
        return "null";
    }
}
