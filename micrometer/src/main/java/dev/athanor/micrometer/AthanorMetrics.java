package dev.athanor.micrometer;

import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.SessionFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pool meters of one engine, named after OpenTelemetry's conventions for database client connection pools and
 * tagged {@code db.client.connection.pool.name} = {@link Engine#name()} (make engine names unique in one
 * application). Everything is measured by the engine — its {@link dev.athanor.PoolListener pool events} and
 * {@link Engine#status() status} — never read from the native pool, so the meters mean the same on every backend.
 *
 * <pre>{@code
 * AthanorMetrics metrics = new AthanorMetrics(engine);
 * metrics.bindTo(registry);        // or hand it to whatever binds MeterBinders (Spring Boot does)
 * ...
 * metrics.close();                 // removes its listener and its meters
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code db.client.connection.count}</td><td>gauge, tag {@code db.client.connection.state} =
 *       {@code idle} | {@code used}</td><td>connections open now, idle in the pool or borrowed</td></tr>
 *   <tr><td>{@code db.client.connection.max}</td><td>gauge</td><td>most connections open at once
 *       ({@code poolSize + maxOverflow}); +Inf when unlimited</td></tr>
 *   <tr><td>{@code db.client.connection.idle.max}</td><td>gauge</td><td>most idle connections kept
 *       ({@code poolSize}); +Inf when unlimited</td></tr>
 *   <tr><td>{@code db.client.connection.pending_requests}</td><td>gauge</td><td>checkouts queued for a
 *       connection now</td></tr>
 *   <tr><td>{@code db.client.connection.timeouts}</td><td>counter</td><td>checkouts that gave up after
 *       {@code poolTimeout}</td></tr>
 *   <tr><td>{@code db.client.connection.create_time}</td><td>timer</td><td>opening a physical connection</td></tr>
 *   <tr><td>{@code db.client.connection.wait_time}</td><td>timer</td><td>obtaining a connection at checkout
 *       (queueing, connecting, pre-ping included); checkouts that time out are not in it</td></tr>
 *   <tr><td>{@code db.client.connection.use_time}</td><td>timer</td><td>from checkout to checkin</td></tr>
 *   <tr><td>{@code athanor.pool.invalidations}</td><td>counter, tag {@code reason} =
 *       {@link dev.athanor.InvalidationReason#tag()}</td><td>connections discarded instead of returned (a failed
 *       pre-ping is {@code reason="pre_ping"})</td></tr>
 *   <tr><td>{@code athanor.pool.wide_invalidations}</td><td>counter</td><td>pool-wide invalidations (every open
 *       connection marked stale)</td></tr>
 *   <tr><td>{@code athanor.pool.connect_failures}</td><td>counter</td><td>checkouts that failed because no
 *       connection could be opened</td></tr>
 *   <tr><td>{@code athanor.pool.waits}</td><td>counter</td><td>checkouts that queued because every connection was
 *       in use</td></tr>
 * </table>
 *
 * <p>The counts have OpenTelemetry's unit {@code {connection}} (and {@code {request}}, {@code {timeout}}): UCUM
 * annotations, that is no base unit, so no unit suffix is added to their names; durations are in seconds. By default
 * a duration is a count and a total ({@code FunctionTimer}: Prometheus' {@code _seconds_count} and
 * {@code _seconds_sum}), the cheapest to record on the checkout path; {@link #histograms(boolean) histograms(true)}
 * makes them Micrometer {@code Timer}s publishing a percentile histogram and a max, which the registry's
 * {@code MeterFilter}s can then configure further (percentiles, service level objectives, expiry).
 *
 * <p>Gauges hold the engine weakly: a registry never keeps an engine alive. A closed engine reports 0 connections,
 * 0 pending and a maximum of 0 until it is unbound. Binding to several registries is allowed (each gets its meters);
 * binding twice to the same registry does nothing the second time.
 */
public final class AthanorMetrics implements MeterBinder, AutoCloseable {
    /** Connections open now, by {@link #STATE}. */
    public static final String CONNECTION_COUNT = "db.client.connection.count";
    /** Most connections open at once. */
    public static final String CONNECTION_MAX = "db.client.connection.max";
    /** Most idle connections kept. */
    public static final String CONNECTION_IDLE_MAX = "db.client.connection.idle.max";
    /** Checkouts queued for a connection now. */
    public static final String PENDING_REQUESTS = "db.client.connection.pending_requests";
    /** Checkouts that timed out. */
    public static final String TIMEOUTS = "db.client.connection.timeouts";
    /** Time to open a physical connection. */
    public static final String CREATE_TIME = "db.client.connection.create_time";
    /** Time to obtain a connection at checkout. */
    public static final String WAIT_TIME = "db.client.connection.wait_time";
    /** Time from checkout to checkin. */
    public static final String USE_TIME = "db.client.connection.use_time";
    /** Connections discarded instead of returned, by {@link #REASON}. */
    public static final String INVALIDATIONS = "athanor.pool.invalidations";
    /** Pool-wide invalidations. */
    public static final String WIDE_INVALIDATIONS = "athanor.pool.wide_invalidations";
    /** Checkouts that failed because no connection could be opened. */
    public static final String CONNECT_FAILURES = "athanor.pool.connect_failures";
    /** Checkouts that queued. */
    public static final String WAITS = "athanor.pool.waits";

    /** The tag naming the pool: the engine's name. */
    public static final String POOL_NAME = "db.client.connection.pool.name";
    /** The tag of {@link #CONNECTION_COUNT}: {@code idle} or {@code used}. */
    public static final String STATE = "db.client.connection.state";
    /** The tag of {@link #INVALIDATIONS}: {@link dev.athanor.InvalidationReason#tag()}. */
    public static final String REASON = "reason";

    private final Engine engine;
    private final Tags tags;
    private final Map<MeterRegistry, PoolMeters> bound = new IdentityHashMap<>();
    private boolean histograms;
    private boolean closed;

    /** The meters of {@code engine}, tagged with its name only. */
    public AthanorMetrics(Engine engine) {
        this(engine, Tags.empty());
    }

    /** The meters of {@code engine}, tagged with its name and {@code tags} (an application tag, say). */
    public AthanorMetrics(Engine engine, Iterable<Tag> tags) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and(POOL_NAME, engine.name());
    }

    /**
     * Binds the pool meters of every engine of {@code sessions} and its session meters to {@code registry}, in one
     * call; use {@link SessionMetrics#sessions()} of the result (the factory with the session listener) to open
     * sessions, and {@link SessionMetrics#close()} to unbind everything.
     *
     * <pre>{@code
     * SessionMetrics metrics = AthanorMetrics.bindTo(SessionFactory.builder().bind(users).bind("blogs", blogs).build(),
     *         registry);
     * SessionFactory sessions = metrics.sessions();
     * }</pre>
     */
    public static SessionMetrics bindTo(SessionFactory sessions, MeterRegistry registry) {
        SessionMetrics metrics = new SessionMetrics(sessions);
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Whether the three durations ({@code create_time}, {@code wait_time}, {@code use_time}) are full Micrometer
     * timers publishing a percentile histogram (and a max), so that the registry's {@code MeterFilter}s can configure
     * them further; default false: count and total only, the cheapest to record. Set it before {@link #bindTo}.
     *
     * @throws IllegalStateException when already bound
     */
    public synchronized AthanorMetrics histograms(boolean on) {
        if (!bound.isEmpty() || closed) {
            throw new IllegalStateException("[" + engine.name() + "] histograms(" + on + ") must be set before"
                    + " bindTo(registry); these metrics are " + (closed ? "closed" : "bound already"));
        }
        this.histograms = on;
        return this;
    }

    /** The engine measured. */
    public Engine engine() {
        return engine;
    }

    /** Registers the meters in {@code registry} and starts recording the engine's events into them. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("[" + engine.name() + "] these metrics were closed; make new ones");
        }
        if (bound.containsKey(registry)) {
            return;
        }
        PoolMeters meters = new PoolMeters(registry, tags, histograms);
        meters.registerGauges(engine);
        bound.put(registry, meters);
        engine.addListener(meters);
    }

    /** Stops recording into {@code registry} and removes this binder's meters from it; false if it was not bound. */
    public synchronized boolean unbind(MeterRegistry registry) {
        PoolMeters meters = bound.remove(registry);
        if (meters == null) {
            return false;
        }
        engine.removeListener(meters);
        meters.removeAll();
        return true;
    }

    /** The registries bound now. */
    synchronized List<MeterRegistry> registries() {
        return List.copyOf(bound.keySet());
    }

    /** Unbinds from every registry; later {@link #bindTo} calls fail. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (MeterRegistry registry : registries()) {
            unbind(registry);
        }
    }

    // Gauge functions: static, so that the gauges (which hold the engine weakly) never hold it through a capture.

    static double idle(Engine e) {
        return e.isClosed() ? 0 : e.status().checkedIn();
    }

    static double used(Engine e) {
        return e.isClosed() ? 0 : e.status().checkedOut();
    }

    static double pending(Engine e) {
        return e.isClosed() ? 0 : e.status().waiting();
    }

    static double max(Engine e) {
        if (e.isClosed()) {
            return 0;
        }
        int max = e.status().max();
        return max < 0 ? Double.POSITIVE_INFINITY : max;
    }

    /** {@code poolSize}: core's null pool keeps nothing idle, its static pool one connection; size 0 is no limit. */
    static double idleMax(Engine e) {
        if (e.isClosed()) {
            return 0;
        }
        return switch (e.backendName()) {
            case "null" -> 0;
            case "static" -> 1;
            default -> {
                PoolStatus s = e.status();
                yield s.size() == 0 ? Double.POSITIVE_INFINITY : s.size();
            }
        };
    }

    @Override
    public String toString() {
        return "AthanorMetrics[" + engine.name() + "]";
    }
}
