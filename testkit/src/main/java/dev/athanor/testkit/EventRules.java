package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolTimeoutException;
import dev.athanor.spi.Knob;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The events a metrics library or a dashboard is built on: one scripted workload (borrows, a wait, a timeout, an
 * explicit invalidation, a failed pre-ping, a dispose, failed connects) must give the same event sequence and the
 * same meter values on every backend and every database, written once here. The sequence is read with
 * {@link EventRecorder}: event names and invalidation reasons in order, without physical closes (a backend may close on
 * a thread of its own) and without timings, which are checked against what the kit measured from outside.
 */
abstract class EventRules extends RuleGroup {
    /** Long enough that a waiter served when the holder returns never passes for a timeout, even on a slow machine. */
    private static final Duration TIMEOUT = KitTime.millis(1500);
    /** How long the first borrower keeps the waiter waiting. */
    private static final Duration HOLD = KitTime.millis(100);

    EventRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /** An engine of the backend with the recorder registered before anything happens. */
    private Engine recorded(EventRecorder log, UnaryOperator<EngineBuilder> config) {
        Engine e = engine(config);
        e.addListener(log);
        return e;
    }

    private static long since(long startNanos) {
        return System.nanoTime() - startNanos;
    }

    /**
     * With poolSize 1 and maxOverflow 0: a borrow; a second checkout queues, {@code status().waiting()} shows it, and
     * it is served when the first borrower returns; a third checkout times out. The events are, in order, connect,
     * checkout, checkin, checkout_waited, checkout, checkout_timeout, checkin, and the meters agree; the durations
     * the events carry are at least what the kit measured (the wait at least as long as the holder held after the
     * waiter queued, the timeout at least {@code poolTimeout}). If this fails, check that {@code take()} opens a
     * connection only when none is idle (an extra connect) and that {@code keep()} makes the returned connection
     * available to the next {@code take()} at once.
     */
    @Test
    @DisplayName("EVT-6: a borrow, a wait and a timeout give the same events and meters on every backend")
    @ContractRule(id = "EVT-6", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that take()"
            + " reuses an idle connection before opening one, and that keep() makes it available to the next take()"
            + " at once (no connection opened ahead of demand, none kept back)")
    void waitAndTimeoutEvents() throws Exception {
        EventRecorder log = new EventRecorder();
        Engine e = recorded(log, b -> b.poolSize(1).maxOverflow(0).poolTimeout(TIMEOUT));
        long beforeFirst = System.nanoTime();
        Connection first = fx.hold(e);
        long firstLent = System.nanoTime();
        assertThat(log.checkoutNanos()).as("the first checkout's duration (it connected)").singleElement()
                .satisfies(n -> assertThat(n).isPositive().isLessThanOrEqualTo(firstLent - beforeFirst));

        long waiterStart = System.nanoTime();
        Future<Connection> waiter = fx.async(() -> fx.hold(e));
        boolean queued = KitTime.poll(() -> e.status().waiting() == 1, KitTime.SETTLE);
        long seenWaiting = System.nanoTime();
        assertThat(queued).as("status().waiting() while a second checkout waits for the only connection: %s (waiter"
                + " %s)", e.status(), waiter.isDone() ? "finished" : "still waiting").isTrue();
        assertThat(EventRecorder.gauges(e.status())).as("gauges while one connection is borrowed and a checkout waits")
                .isEqualTo(EventRecorder.expect("idle", 0, "used", 1, "waiting", 1, "max", 1));
        KitTime.sleep(HOLD);
        long returning = System.nanoTime();
        first.close();
        Attempt served = await(waiter, waiterStart, TIMEOUT);
        long servedAt = System.nanoTime();
        assertThat(served.succeeded()).as("the waiting checkout must get the returned connection (poolTimeout %s),"
                + " got %s", KitTime.show(TIMEOUT), served.error()).isTrue();
        assertThat(log.heldNanos()).as("the first borrow's held time: at least from when connect() returned to"
                + " close()").singleElement()
                .satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(returning - firstLent));
        assertThat(log.waitedNanos()).as("onCheckoutWaited: at least from when status() showed the waiter to the"
                + " return, at most the waiter's whole checkout").singleElement().satisfies(n -> assertThat(n)
                .isGreaterThanOrEqualTo(returning - seenWaiting).isLessThanOrEqualTo(servedAt - waiterStart));
        assertThat(log.checkoutNanos().get(1)).as("the waiter's checkout duration includes its wait")
                .isGreaterThanOrEqualTo(log.waitedNanos().get(0));

        Attempt late = attempt(e, TIMEOUT.plus(bound(Knob.POOL_TIMEOUT)).plus(KitTime.SLACK));
        assertThat(late.error()).as("a third checkout while the only connection is borrowed must time out, after %s",
                KitTime.show(late.elapsed())).isInstanceOf(PoolTimeoutException.class);
        assertThat(log.timeoutNanos()).as("onCheckoutTimeout: at least poolTimeout %s, at most the attempt as the kit"
                + " timed it", KitTime.show(TIMEOUT)).singleElement().satisfies(n -> assertThat(n)
                .isGreaterThanOrEqualTo(TIMEOUT.minus(TimeoutRules.CLOCK).toNanos())
                .isLessThanOrEqualTo(late.elapsed().toNanos()));
        served.connection().close();

        assertThat(log.sequence()).as("the events of: borrow; a checkout that waits for it; its return; a checkout"
                + " that times out; the waiter's return (%s)", probe(e).summary()).containsExactly("connect",
                "checkout", "checkin", "checkout_waited", "checkout", "checkout_timeout", "checkin");
        assertThat(log.meters(e.status())).as("meters after the workload (%s)", e.status())
                .isEqualTo(EventRecorder.expect(
                "connects", 1, "connect_failures", 0, "checkouts", 2, "checkins", 2, "waits", 1, "timeouts", 1,
                "invalidate_all", 0, "idle", 1, "used", 0, "waiting", 0, "max", 1));
        assertThat(log.connectNanos()).as("onConnect durations").allSatisfy(n -> assertThat(n).isPositive());
    }

    /**
     * With pre-ping on and poolSize 1: a borrowed connection invalidated explicitly; another borrowed and returned;
     * the database kills it, and the next checkout's ping fails (the whole pool is invalidated and a new connection
     * opened); {@code engine.dispose()} while a connection is borrowed, which is discarded as stale when it comes
     * back. The events name each invalidation's reason, in the order the engine documents, and the meters agree.
     * If this fails, check that {@code discard()} closes the connection at once and forgets it (a dead or stale one
     * handed out again shows as a second invalidation), and that nothing is opened ahead of demand.
     */
    @Test
    @DisplayName("EVT-7: an invalidation, a failed pre-ping and a dispose give the same events and meters everywhere")
    @ContractRule(id = "EVT-7", knobs = {Knob.PRE_PING, Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that discard()"
            + " closes and forgets the connection at once, and that take() opens a connection only when none is idle")
    void invalidationEvents() {
        EventRecorder log = new EventRecorder();
        Engine e = recorded(log, b -> b.poolSize(1).maxOverflow(0).poolPrePing(true));
        fx.hold(e).invalidate();
        fx.hold(e).close();
        killAll();
        Connection afterKill = fx.hold(e);
        assertThat(afterKill.execute("SELECT 1").scalar()).as("the connection handed out after the kill works")
                .isNotNull();
        afterKill.close();
        Connection during = fx.hold(e);
        e.dispose();
        during.close();
        fx.hold(e).close();

        assertThat(log.sequence()).as("the events of: borrow, invalidate; borrow, return; kill on the database,"
                + " borrow (pre-ping fails), return; borrow, dispose(), return (discarded as stale); borrow, return"
                + " (%s)",
                probe(e).summary()).containsExactly(
                "connect", "checkout", "invalidate:explicit",
                "connect", "checkout", "checkin",
                "invalidate_all", "invalidate:pre_ping", "connect", "checkout", "checkin",
                "checkout", "invalidate_all", "invalidate:stale",
                "connect", "checkout", "checkin");
        assertThat(log.meters(e.status())).as("meters after the workload (%s)", e.status())
                .isEqualTo(EventRecorder.expect(
                "connects", 4, "connect_failures", 0, "checkouts", 5, "checkins", 3, "waits", 0, "timeouts", 0,
                "invalidations.explicit", 1, "invalidations.pre_ping", 1, "invalidations.stale", 1,
                "invalidate_all", 2, "idle", 1, "used", 0, "waiting", 0, "max", 1));
        assertThat(log.connectNanos()).as("onConnect durations").allSatisfy(n -> assertThat(n).isPositive());
        assertThat(log.checkoutNanos()).as("onCheckout durations").allSatisfy(n -> assertThat(n).isNotNegative());
        assertThat(log.heldNanos()).as("onCheckin held times").allSatisfy(n -> assertThat(n).isNotNegative());
        expectOpen(e, 1, KitTime.GRACE, "after the workload poolSize 1 is kept and every replaced connection closed");
    }

    /**
     * Two checkouts whose connect the database refuses each fire one {@code onConnectFailure}, with the very
     * exception the checkout throws, and nothing else happens: no connect, checkout or invalidation event, nothing
     * borrowed or open. The stub refuses while it is down; a real database refuses a database that does not exist.
     * If this fails, check that {@code take()} throws the connect failure to its caller once (no retry, no
     * connection opened in the background for it).
     */
    @Test
    @DisplayName("EVT-8: a refused connect fires onConnectFailure once per failed checkout, with the checkout's error")
    @ContractRule(id = "EVT-8", check = "that take() throws ConnectionSource.connect()'s failure to its caller once,"
            + " with no retry and nothing opened for it in the background")
    void connectFailureEvents() {
        EventRecorder log = new EventRecorder();
        boolean sized = supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW) && supported(Knob.POOL_TIMEOUT);
        UnaryOperator<EngineBuilder> config = b -> sized ? b.poolSize(1).maxOverflow(0).poolTimeout(TIMEOUT) : b;
        Engine e;
        if (target() == Target.STUB) {
            fx.stub().down(true);
            e = recorded(log, config);
        } else {
            e = fx.engineAt(missingDatabase(), config);
            e.addListener(log);
        }
        Duration limit = TIMEOUT.plus(KitTime.SLACK);
        Attempt one = attempt(e, limit);
        Attempt two = attempt(e, limit);
        for (Attempt a : List.of(one, two)) {
            assertThat(a.finished()).as("a checkout whose connect is refused must fail at once, was still waiting"
                    + " after %s", KitTime.show(a.elapsed())).isTrue();
            assertThat(a.error()).as("a checkout whose connect is refused must fail").isNotNull();
        }
        assertThat(log.connectFailures()).as("the failures onConnectFailure reported, against what the two checkouts"
                + " threw").containsExactly(one.error(), two.error());
        assertThat(KitTime.holdsFor(() -> log.size() == 2, KitTime.QUIET)).as("no further event after the failed"
                + " checkouts (a retry in the background?)").isTrue();
        assertThat(log.sequence()).as("the events of two checkouts whose connect is refused (%s)", probe(e).summary())
                .containsExactly("connect_failure", "connect_failure");
        Map<String, Integer> meters = log.meters(e.status());
        meters.remove("max"); // the pool kind's limit (NullPool: none); EVT-6 checks it where it is set
        assertThat(meters).as("meters after the failed checkouts (%s)", e.status()).isEqualTo(EventRecorder.expect(
                "connects", 0, "connect_failures", 2, "checkouts", 0, "checkins", 0, "waits", 0, "timeouts", 0,
                "invalidate_all", 0, "idle", 0, "used", 0, "waiting", 0));
    }

    /** A URL of the rule's database server naming a database that does not exist, so the server refuses. */
    private String missingDatabase() {
        String name = fx.uniqueName("athanor_kit_missing");
        switch (target()) {
            case H2:
                return "h2:mem:" + name + ";IFEXISTS=TRUE";
            case POSTGRESQL:
                return withDatabase(TestDatabase.POSTGRESQL.url(), name);
            case MARIADB:
                return withDatabase(TestDatabase.MARIADB.url(), name);
            default:
                throw new IllegalStateException("no missing database on " + target().label());
        }
    }

    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int slash = base.indexOf('/', base.indexOf("://") + 3);
        String server = slash < 0 ? base : base.substring(0, slash);
        return server + "/" + database + (query < 0 ? "" : url.substring(query));
    }
}
