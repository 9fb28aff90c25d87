package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.CheckoutInterruptedException;
import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolTimeoutException;
import dev.athanor.spi.Knob;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code poolTimeout}: a checkout at the limit waits, and fails with SQLAlchemy's message after the timeout, never
 * before. Database-independent (the wait is the backend's), so it runs on the stub only.
 */
abstract class TimeoutRules extends RuleGroup {
    /** Clock granularity tolerated below the timeout (millisecond clocks, timed waits that round). */
    static final Duration CLOCK = Duration.ofMillis(5);

    TimeoutRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    private Engine fullPool(Duration timeout) {
        Engine e = engine(b -> b.poolSize(1).maxOverflow(0).poolTimeout(timeout));
        fx.hold(e);
        return e;
    }

    private Duration latest(Duration timeout) {
        return timeout.plus(KitTime.SLACK).plus(bound(Knob.POOL_TIMEOUT));
    }

    private void expectTimeout(Attempt a, Duration timeout) {
        assertThat(a.finished()).as("a checkout with the pool full must fail after poolTimeout %s; it was still"
                + " waiting after %s", KitTime.show(timeout), KitTime.show(a.elapsed())).isTrue();
        assertThat(a.error()).as("a checkout with the pool full must fail with PoolTimeoutException (built by"
                + " PoolSpec.timeoutException)").isInstanceOf(PoolTimeoutException.class);
        assertThat(a.elapsed()).as("the checkout must not fail before poolTimeout %s", KitTime.show(timeout))
                .isGreaterThanOrEqualTo(timeout.minus(CLOCK));
        assertThat(a.elapsed()).as("the checkout must fail soon after poolTimeout %s (%s)", KitTime.show(timeout),
                allowanceText(Knob.POOL_TIMEOUT)).isLessThanOrEqualTo(latest(timeout));
    }

    /**
     * With the pool full, a checkout fails with {@code PoolTimeoutException} once {@code poolTimeout} has passed,
     * not before and not much later. If this fails, check that the native wait is set from
     * {@code PoolSpec.poolTimeout()} and that its failure is turned into {@code PoolSpec.timeoutException(cause)}.
     */
    @Test
    @DisplayName("TIME-1: a checkout at the limit fails with PoolTimeoutException after poolTimeout, not before")
    @ContractRule(id = "TIME-1", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that take()"
            + " never waits for capacity itself (the engine waits and times out) and the native maximum is at least"
            + " PoolSpec.maxConnections()")
    void timeoutFiresAfterTheTimeout() {
        Duration timeout = KitTime.millis(600);
        Engine e = fullPool(timeout);
        expectTimeout(attempt(e, latest(timeout).plus(KitTime.SLACK)), timeout);
    }

    /**
     * A checkout at the limit waits: a connection returned before the timeout is handed to the waiter. If this
     * fails, check that {@code checkout()} blocks (it must not fail fast) and that {@code checkin()} wakes a waiter.
     */
    @Test
    @DisplayName("TIME-2: a waiting checkout gets a connection returned before the timeout")
    @ContractRule(id = "TIME-2", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that keep()"
            + " makes the connection available to the next take() at once")
    void waiterGetsAReturnedConnection() {
        Duration timeout = KitTime.millis(5000);
        Engine e = engine(b -> b.poolSize(1).maxOverflow(0).poolTimeout(timeout));
        Connection held = e.connect();
        long start = System.nanoTime();
        Future<Connection> waiter = fx.async(() -> fx.hold(e));
        KitTime.sleep(KitTime.millis(150));
        assertThat(waiter.isDone()).as("a checkout at the limit must wait, not fail at once").isFalse();
        held.close();
        Attempt a = await(waiter, start, timeout.plus(KitTime.SLACK));
        assertThat(a.succeeded()).as("the waiter must get the returned connection, got %s after %s",
                a.error(), KitTime.show(a.elapsed())).isTrue();
        assertThat(a.elapsed()).as("the waiter must get it well before poolTimeout %s", KitTime.show(timeout))
                .isLessThan(timeout);
        assertThat(probe(e).connects()).as("connections opened").isEqualTo(1);
    }

    /**
     * A sub-second timeout is honoured, not rounded up to whole seconds. If this fails, check the unit of the
     * native setting (milliseconds) and any minimum the native pool enforces (HikariCP: 250 ms).
     */
    @Test
    @DisplayName("TIME-3: a sub-second poolTimeout is honoured")
    @ContractRule(id = "TIME-3", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that take()"
            + " answers at once when a connection is idle or connect() answers: the engine times out, not a native"
            + " wait")
    void subSecondTimeoutIsHonoured() {
        Duration timeout = Duration.ofMillis(300);
        Engine e = fullPool(timeout);
        expectTimeout(attempt(e, latest(timeout).plus(KitTime.SLACK)), timeout);
    }

    /**
     * The message is SQLAlchemy's, prefixed by the pool name:
     * {@code [name] QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 0.40}. If this
     * fails, check that the backend throws {@code PoolSpec.timeoutException(cause)} rather than its own exception.
     */
    @Test
    @DisplayName("TIME-4: the timeout message is SQLAlchemy's QueuePool wording with the pool name")
    @ContractRule(id = "TIME-4", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that take()"
            + " throws no native timeout of its own: the engine's PoolTimeoutException is the only one")
    void timeoutMessageFollowsSqlAlchemy() {
        Duration timeout = Duration.ofMillis(400);
        Engine e = fullPool(timeout);
        Attempt a = attempt(e, latest(timeout).plus(KitTime.SLACK));
        assertThat(a.error()).as("the failure of a checkout at the limit").isInstanceOf(PoolTimeoutException.class)
                .hasMessage("[%s] QueuePool limit of size 1 overflow 0 reached, connection timed out, timeout 0.40",
                        e.name());
        assertThat(((PoolTimeoutException) a.error()).timeout()).isEqualTo(timeout);
    }

    /**
     * Timed-out checkouts take no slot: afterwards the counts are as before and a returned connection is handed
     * out at once. If this fails, check that a timed-out wait is removed from the native pool's wait queue and
     * holds no permit.
     */
    @Test
    @DisplayName("TIME-5: timed-out checkouts leave no slot taken")
    @ContractRule(id = "TIME-5", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that take()"
            + " leaves no native reservation behind (the native maximum stays at least PoolSpec.maxConnections())")
    void timeoutsLeakNoSlot() {
        Duration timeout = Duration.ofMillis(250);
        Engine e = engine(b -> b.poolSize(1).maxOverflow(0).poolTimeout(timeout));
        Connection held = e.connect();
        long start = System.nanoTime();
        List<Future<Connection>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(fx.async(() -> fx.hold(e)));
        }
        for (Future<Connection> w : waiters) {
            Attempt a = await(w, start, latest(timeout).plus(KitTime.SLACK));
            assertThat(a.error()).as("3 concurrent checkouts at the limit must each time out")
                    .isInstanceOf(PoolTimeoutException.class);
        }
        assertThat(e.status().checkedOut()).as("borrowed after the timeouts: %s", e.status()).isEqualTo(1);
        assertThat(probe(e).openNow()).as("open after the timeouts (%s)", probe(e).summary()).isEqualTo(1);
        held.close();
        Attempt next = attempt(e, KitTime.SLACK);
        assertThat(next.succeeded()).as("after the timeouts a checkout of the returned connection must succeed at"
                + " once, got %s", next.finished() ? next.error() : "no answer").isTrue();
        next.connection().close();
        assertThat(probe(e).connects()).as("connections opened (%s)", probe(e).summary()).isEqualTo(1);
        assertThat(e.status().checkedIn()).as("idle at the end: %s", e.status()).isEqualTo(1);
    }

    /**
     * A checkout waiting at the limit that is interrupted fails with {@code CheckoutInterruptedException} ("checkout
     * interrupted"), not a connect failure or a timeout; the thread's interrupt status stays set and no slot is
     * taken. If this fails, check that the backend's wait reacts to an interrupt by throwing an
     * {@link java.sql.SQLException} and keeping the interrupt status set (or with the InterruptedException as the
     * cause).
     */
    @Test
    @DisplayName("TIME-8: an interrupted checkout says it was interrupted and keeps the interrupt status")
    @ContractRule(id = "TIME-8", knobs = {Knob.POOL_TIMEOUT, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that take()"
            + " leaves the thread's interrupt status set when it is interrupted inside the native pool or a connect")
    void interruptedCheckoutSaysSo() throws InterruptedException {
        Engine e = fullPool(Duration.ofSeconds(60));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try (Connection c = e.connect()) {
                failure.complete(null);
            } catch (Throwable t) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                failure.complete(t);
            }
        }, "athanor-testkit-interrupted-checkout");
        waiter.setDaemon(true);
        waiter.start();
        boolean waiting = KitTime.poll(() -> waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TIMED_WAITING, KitTime.SETTLE);
        assertThat(waiting).as("a checkout with the pool full waits (thread state %s)", waiter.getState()).isTrue();
        waiter.interrupt();
        waiter.join(KitTime.SETTLE.toMillis());
        assertThat(waiter.isAlive()).as("the interrupted checkout is still waiting %s after the interrupt",
                KitTime.show(KitTime.SETTLE)).isFalse();
        Throwable t = failure.getNow(null);
        assertThat(t).as("an interrupted checkout fails with").isInstanceOf(CheckoutInterruptedException.class);
        assertThat(t.getMessage()).as("its message").contains("checkout interrupted");
        assertThat(stillInterrupted.get()).as("the thread's interrupt status after the failed checkout").isTrue();
        assertThat(e.status().checkedOut()).as("borrowed after the interrupted checkout: %s", e.status())
                .isEqualTo(1);
    }
}
