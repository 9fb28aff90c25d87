package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Base of every rule group: the backend under test, the target it runs on, a fresh {@link Fixture} per rule, and
 * the helpers rules share. Groups are package-private abstract classes; {@link PoolBackendContract} runs them as
 * {@code @Nested} classes, once per target.
 */
@Timeout(120)
abstract class RuleGroup {
    private final PoolBackendContract contract;
    private final Target target;
    Fixture fx;

    RuleGroup(PoolBackendContract contract, Target target) {
        this.contract = contract;
        this.target = target;
    }

    Target target() {
        return target;
    }

    String backend() {
        return contract.providerName();
    }

    @BeforeEach
    void openFixture() {
        switch (target) {
            case H2:
                TestDatabase.H2.assumeAvailable();
                break;
            case POSTGRESQL:
                TestDatabase.POSTGRESQL.assumeAvailable();
                break;
            case MARIADB:
                TestDatabase.MARIADB.assumeAvailable();
                break;
            default:
                break;
        }
        fx = new Fixture(backend(), target);
    }

    @AfterEach
    void closeFixture() {
        if (fx != null) {
            fx.close();
        }
    }

    // ---- capabilities

    Capability capability(Knob knob) {
        return KitProviders.require(backend()).capabilities().get(knob);
    }

    boolean supported(Knob knob) {
        return capability(knob).fidelity() != Fidelity.UNSUPPORTED;
    }

    /** The largest declared bound among the APPROXIMATE {@code knobs}; zero when all are exact. */
    Duration bound(Knob... knobs) {
        Duration d = Duration.ZERO;
        for (Knob k : knobs) {
            Capability c = capability(k);
            if (c.fidelity() == Fidelity.APPROXIMATE && c.bound().compareTo(d) > 0) {
                d = c.bound();
            }
        }
        return d;
    }

    /**
     * How long a rule about {@code knobs} may take beyond "at once": the largest declared bound of an APPROXIMATE
     * knob, or {@link KitTime#GRACE} when all are exact.
     */
    Duration allowance(Knob... knobs) {
        Duration b = bound(knobs);
        return b.compareTo(KitTime.GRACE) > 0 ? b : KitTime.GRACE;
    }

    /** "within 250 ms (exact)" or "within 2 s (the declared bound of maxOverflow)", for messages. */
    String allowanceText(Knob... knobs) {
        for (Knob k : knobs) {
            if (capability(k).fidelity() == Fidelity.APPROXIMATE) {
                return "within " + KitTime.show(allowance(knobs)) + " (the declared APPROXIMATE bound)";
            }
        }
        return "at once (EXACT; the kit allows " + KitTime.show(KitTime.GRACE) + " for a close on another thread)";
    }

    // ---- engines

    Engine engine(UnaryOperator<EngineBuilder> config) {
        return fx.engine(config);
    }

    Engine engine() {
        return fx.engine(b -> b);
    }

    Probe probe(Engine engine) {
        return fx.probe(engine);
    }

    List<Connection> hold(Engine engine, int n) {
        return fx.hold(engine, n);
    }

    /** One checkout, one statement, one checkin. */
    static void cycle(Engine engine) {
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
    }

    static void closeAll(List<Connection> connections) {
        connections.forEach(Connection::close);
    }

    /** Makes the engine create its backend without a checkout. */
    static void startBackend(Engine engine) {
        try {
            engine.unwrap(Object.class);
        } catch (IllegalArgumentException ignored) {
            // The backend refused to unwrap to Object; it exists now all the same.
        }
    }

    // ---- checkouts that may block

    /** What one checkout did: the connection (held until the rule ends) or the error, and how long it took. */
    record Attempt(Connection connection, Throwable error, Duration elapsed, boolean finished) {
        boolean succeeded() {
            return finished && error == null;
        }
    }

    /**
     * Checks out on a kit thread and waits at most {@code limit}, so a backend that never returns cannot hang the
     * kit. A connection obtained is held until the rule ends.
     */
    Attempt attempt(Engine engine, Duration limit) {
        long start = System.nanoTime();
        Future<Connection> f = fx.async(() -> fx.hold(engine));
        return await(f, start, limit);
    }

    /** Waits for a checkout started with {@link Fixture#async} at {@code start}. */
    static Attempt await(Future<Connection> f, long start, Duration limit) {
        try {
            Connection c = f.get(Math.max(0, limit.toNanos() - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
            return new Attempt(c, null, Duration.ofNanos(System.nanoTime() - start), true);
        } catch (ExecutionException e) {
            return new Attempt(null, e.getCause(), Duration.ofNanos(System.nanoTime() - start), true);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Attempt(null, null, limit, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- open-connection checks

    /** Kills every connection of the rule on the database and, on a real server, waits until they are gone. */
    void killAll() {
        fx.server().killAll();
        if (target() != Target.STUB) {
            expectServerOpen(0, "after the kit killed every connection of this pool on the server");
        }
    }

    /**
     * Waits up to {@code within} for the engine to see exactly {@code expected} physical connections open, then
     * for the database to agree (its view may lag; it gets {@link KitTime#SETTLE}).
     */
    void expectOpen(Engine engine, int expected, Duration within, String why) {
        Probe p = probe(engine);
        boolean ok = KitTime.poll(() -> p.openNow() == expected, within);
        assertThat(ok).as("%s: expected %d physical connections open %s, found %d (%s; %s)", why, expected,
                within.isZero() ? "" : "within " + KitTime.show(within), p.openNow(), p.summary(),
                engine.status()).isTrue();
        expectServerOpen(expected, why);
    }

    /** The database's view of this rule's connections reaches {@code expected}. */
    void expectServerOpen(int expected, String why) {
        ServerView server = fx.server();
        boolean ok = KitTime.poll(() -> server.open() == expected, KitTime.SETTLE);
        assertThat(ok).as("%s: the engine's events agree, but the database sees %d connections of this pool, not %d"
                + " (%s): the backend may hold connections it did not get from ConnectionSource.connect(), or not"
                + " close them", why, server.open(), expected, server.describe()).isTrue();
    }

    /** Nothing is opened during a short quiet period (backends must not open connections eagerly). */
    void expectNoConnectsFor(Engine engine, int expected, String why) {
        Probe p = probe(engine);
        boolean quiet = KitTime.holdsFor(() -> p.connects() == expected, KitTime.QUIET);
        assertThat(quiet).as("%s: expected exactly %d connections opened, found %d (%s)", why, expected,
                p.connects(), p.summary()).isTrue();
    }
}
