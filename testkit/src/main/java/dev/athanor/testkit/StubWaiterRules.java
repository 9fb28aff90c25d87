package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a failed connect does to the checkout that asked for it and to the checkouts waiting behind it, with failures
 * injected by the stub driver: the error reaches the asker once, and the slot it held serves a waiter at once.
 */
abstract class StubWaiterRules extends RuleGroup {

    StubWaiterRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    private boolean sized() {
        return supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW) && supported(Knob.POOL_TIMEOUT);
    }

    /**
     * With a pool of one, a checkout's connect hangs and a second checkout waits for the slot; the connect then
     * fails. The first checkout gets the connect error, and the waiter connects itself at once (within
     * {@link WaiterRules#PROMPT}), not at its 10 s timeout. If this fails, check that {@code checkout()} gives back
     * the slot it reserved when {@code ConnectionSource.connect()} throws in a way that wakes a waiting checkout (or
     * makes the native pool open a connection for it).
     */
    @Test
    @DisplayName("TIME-7: a waiting checkout is served promptly when a failed connect frees a slot")
    @ContractRule(id = "TIME-7", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that take()"
            + " delivers a failed connect at once and keeps no native reservation for it, so that the next take()"
            + " connects")
    void failedConnectServesAWaiter() throws Exception {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.poolSize(1).maxOverflow(0).poolTimeout(WaiterRules.LONG_TIMEOUT));
        StubDatabase.Hang hang = db.hangConnects();
        fx.onClose(hang);
        long start = System.nanoTime();
        Future<Connection> asker = fx.async(() -> fx.hold(e));
        assertThat(hang.awaitBlocked(1, KitTime.millis(3000))).as("a checkout of an empty pool must call"
                + " ConnectionSource.connect()").isTrue();
        Future<Connection> waiter = fx.async(() -> fx.hold(e));
        assertThat(KitTime.holdsFor(() -> !waiter.isDone(), KitTime.QUIET)).as("a second checkout must wait while the"
                + " first one's connect takes the only slot (poolSize 1, maxOverflow 0)").isTrue();
        db.failNextConnects(1);
        long failed = System.nanoTime();
        hang.close();
        Attempt a = await(asker, start, Duration.ofNanos(System.nanoTime() - start).plus(WaiterRules.PROMPT));
        assertThat(a.finished()).as("the checkout whose connect failed must fail at once").isTrue();
        assertThat(StubPrePingRules.connectFailure(a.error())).as("the checkout whose connect failed must get the"
                + " driver's connect error (SQLState 08001) as a cause, was %s", a.error()).isTrue();
        Attempt w = await(waiter, failed, WaiterRules.PROMPT);
        assertThat(w.succeeded()).as("the waiting checkout must connect itself within %s of the failed connect"
                + " (poolTimeout %s), got %s after %s (%s; %s)", KitTime.show(WaiterRules.PROMPT),
                KitTime.show(WaiterRules.LONG_TIMEOUT), w.finished() ? w.error() : "no connection",
                KitTime.show(w.elapsed()), e.status(), probe(e).summary()).isTrue();
        assertThat(e.status().checkedOut()).as("borrowed: %s", e.status()).isEqualTo(1);
        assertThat(probe(e).openNow()).as("open (%s)", probe(e).summary()).isEqualTo(1);
    }

    /**
     * A connect that fails reaches the checkout that asked for it, once: the pool does not retry behind its back
     * (a retry that succeeded would hide the error; one that kept failing would turn it into a timeout). With one
     * connect failing, the checkout fails at once with the driver's error, no second connect is attempted, and the
     * next checkout connects. If this fails, check the native pool's acquire retries (c3p0
     * {@code acquireRetryAttempts}, HikariCP's connection adder, which retries until the connection timeout).
     */
    @Test
    @DisplayName("CONN-3: a failed connect reaches the checkout that asked, without a silent retry")
    @ContractRule(id = "CONN-3", check = "that take() delivers a failed connect to its caller once, with no retry"
            + " (c3p0 acquireRetryAttempts 0; for a native pool that connects on its own threads see"
            + " dev.athanor.spi.support.ConnectFailures)")
    void failedConnectIsNotRetried() {
        StubDatabase db = fx.stub();
        boolean sized = sized();
        Engine e = engine(b -> sized ? b.poolSize(2).maxOverflow(0).poolTimeout(WaiterRules.LONG_TIMEOUT) : b);
        startBackend(e);
        int before = db.connectAttempts();
        db.failNextConnects(1);
        Attempt a = attempt(e, WaiterRules.PROMPT);
        assertThat(a.finished()).as("a checkout whose connect fails must fail at once (within %s), not retry until"
                + " its timeout; still waiting after %s", KitTime.show(WaiterRules.PROMPT), KitTime.show(a.elapsed()))
                .isTrue();
        assertThat(StubPrePingRules.connectFailure(a.error())).as("the checkout must get the driver's connect error"
                + " (SQLState 08001) as a cause, not a connection from a retry; got %s", a.error() == null
                ? "a connection" : a.error()).isTrue();
        assertThat(KitTime.holdsFor(() -> db.connectAttempts() == before + 1, KitTime.QUIET)).as("connect attempts"
                + " for the failed checkout: expected exactly 1, found %d (a retry the checkout never saw)",
                db.connectAttempts() - before).isTrue();
        Attempt next = attempt(e, WaiterRules.PROMPT);
        assertThat(next.succeeded()).as("the next checkout must connect, got %s", next.finished() ? next.error()
                : "no answer within " + KitTime.show(next.elapsed())).isTrue();
        assertThat(db.connectAttempts() - before).as("connect attempts for both checkouts").isEqualTo(2);
    }
}
