package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.spi.Knob;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checkouts waiting at the limit are served as soon as a slot frees, not at their timeout (SQLAlchemy's
 * {@code test_notify_waiters}, {@code test_waiters_handled}). The slot here is freed by invalidation: once explicitly,
 * once because the database killed the connection and the borrower's next statement found out. Runs on every target
 * (each kills in its own way).
 */
abstract class WaiterRules extends RuleGroup {
    /** How soon every waiter must be served once a slot frees: far below the timeout, whatever the machine. */
    static final Duration PROMPT = KitTime.millis(1000);
    /** A timeout long enough that a waiter served only at its timeout cannot pass for one served promptly. */
    static final Duration LONG_TIMEOUT = KitTime.millis(10_000);

    WaiterRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /**
     * Two connections are borrowed (poolSize 1, maxOverflow 1) and four checkouts wait; the database kills both
     * borrowed connections; one borrower's next statement fails (the engine invalidates the lost connection) and the
     * other borrower invalidates its connection explicitly. Every waiter is then served, one after another, within
     * {@link #PROMPT}, long before the 10 s timeout. If this fails, check that {@code invalidate()} wakes a checkout
     * waiting at the limit, or makes the native pool open a connection for it, as {@code checkin()} does.
     */
    @Test
    @DisplayName("TIME-6: a waiting checkout is served promptly when an invalidation frees a slot")
    @ContractRule(id = "TIME-6", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that"
            + " discard() removes the connection from the native pool at once, so that the next take() can open one")
    void invalidationServesWaiters() {
        Engine e = engine(b -> b.poolSize(1).maxOverflow(1).poolTimeout(LONG_TIMEOUT));
        List<Connection> borrowed = hold(e, 2);
        List<Future<Long>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(fx.async(() -> {
                try (Connection c = e.connect()) {
                    c.execute("SELECT 1").scalar();
                }
                return System.nanoTime();
            }));
        }
        assertThat(KitTime.holdsFor(() -> waiters.stream().noneMatch(Future::isDone), KitTime.QUIET))
                .as("4 checkouts with both connections borrowed (poolSize 1, maxOverflow 1) must wait").isTrue();
        killAll();
        long freed = System.nanoTime();
        Throwable lost = catchThrowable(() -> borrowed.get(0).execute("SELECT 1").scalar());
        assertThat(lost).as("a statement on a connection the database killed must fail as a disconnect (the engine"
                + " then invalidates it)").isInstanceOf(DisconnectionException.class);
        borrowed.get(1).invalidate();
        for (int i = 0; i < waiters.size(); i++) {
            Future<Long> w = waiters.get(i);
            boolean served = KitTime.poll(w::isDone, PROMPT.minus(Duration.ofNanos(System.nanoTime() - freed)));
            assertThat(served).as("waiter %d of 4 must be served within %s of the invalidations (poolTimeout %s);"
                    + " still waiting after %s (%s; %s)", i + 1, KitTime.show(PROMPT), KitTime.show(LONG_TIMEOUT),
                    KitTime.show(Duration.ofNanos(System.nanoTime() - freed)), e.status(), probe(e).summary())
                    .isTrue();
            Throwable failure = catchThrowable(w::get);
            assertThat(failure).as("waiter %d of 4 must get a working connection", i + 1).isNull();
        }
        expectOpen(e, 1, KitTime.GRACE, "after the waiters returned their connections, poolSize 1 are kept");
        assertThat(e.status().checkedOut()).as("borrowed at the end: %s", e.status()).isZero();
    }
}
