package dev.athanor.micrometer;

import dev.athanor.Engine;
import dev.athanor.InvalidationReason;
import dev.athanor.PoolListener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One engine's meters in one registry, and the pool listener that records into them. Every meter is resolved once,
 * here: an event is one call on a meter already in hand, with no tag lookup (the invalidation counters are indexed by
 * the reason's ordinal).
 */
final class PoolMeters implements PoolListener {
    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    private final Durations createTime;
    private final Durations waitTime;
    private final Durations useTime;
    private final Counter timeouts;
    private final Counter connectFailures;
    private final Counter wideInvalidations;
    private final Counter waits;
    private final Counter[] invalidations;

    PoolMeters(MeterRegistry registry, Tags tags, boolean histograms) {
        this.registry = registry;
        this.tags = tags;
        this.createTime = durations(AthanorMetrics.CREATE_TIME, "The time it took to create a new connection",
                histograms);
        this.waitTime = durations(AthanorMetrics.WAIT_TIME,
                "The time it took to obtain an open connection from the pool", histograms);
        this.useTime = durations(AthanorMetrics.USE_TIME,
                "The time between borrowing a connection and returning it to the pool", histograms);
        this.timeouts = counter(AthanorMetrics.TIMEOUTS, Tags.empty(),
                "The number of connection timeouts that have occurred trying to obtain a connection from the pool");
        this.connectFailures = counter(AthanorMetrics.CONNECT_FAILURES, Tags.empty(),
                "Checkouts that failed because no connection could be opened");
        this.wideInvalidations = counter(AthanorMetrics.WIDE_INVALIDATIONS, Tags.empty(),
                "Pool-wide invalidations: every open connection marked stale");
        this.waits = counter(AthanorMetrics.WAITS, Tags.empty(),
                "Checkouts that queued because every connection was in use");
        InvalidationReason[] reasons = InvalidationReason.values();
        this.invalidations = new Counter[reasons.length];
        for (InvalidationReason r : reasons) {
            invalidations[r.ordinal()] = counter(AthanorMetrics.INVALIDATIONS, Tags.of(AthanorMetrics.REASON, r.tag()),
                    "Connections discarded instead of returned, by reason");
        }
    }

    /** The gauges: read from the engine's status at each scrape, holding the engine weakly. */
    void registerGauges(Engine engine) {
        gauge(AthanorMetrics.CONNECTION_COUNT, engine, Tags.of(AthanorMetrics.STATE, "idle"), AthanorMetrics::idle,
                "The number of connections that are currently in state described by the state attribute");
        gauge(AthanorMetrics.CONNECTION_COUNT, engine, Tags.of(AthanorMetrics.STATE, "used"), AthanorMetrics::used,
                "The number of connections that are currently in state described by the state attribute");
        gauge(AthanorMetrics.CONNECTION_MAX, engine, Tags.empty(), AthanorMetrics::max,
                "The maximum number of open connections allowed");
        gauge(AthanorMetrics.CONNECTION_IDLE_MAX, engine, Tags.empty(), AthanorMetrics::idleMax,
                "The maximum number of idle open connections allowed");
        gauge(AthanorMetrics.PENDING_REQUESTS, engine, Tags.empty(), AthanorMetrics::pending,
                "The number of current pending requests for an open connection");
    }

    private void gauge(String name, Engine engine, Tags extra, ToDoubleFunction<Engine> value, String description) {
        meters.add(Gauge.builder(name, engine, value).tags(tags).tags(extra).description(description)
                .register(registry));
    }

    private Durations durations(String name, String description, boolean histograms) {
        Durations d = Durations.register(registry, name, tags, description, histograms);
        meters.add(d.meter());
        return d;
    }

    private Counter counter(String name, Tags extra, String description) {
        Counter c = Counter.builder(name).tags(tags).tags(extra).description(description).register(registry);
        meters.add(c);
        return c;
    }

    /** Removes every meter this binding registered. */
    void removeAll() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    List<Meter> meters() {
        return meters;
    }

    @Override
    public void onConnect(Connection physical, long connectNanos) {
        createTime.record(connectNanos);
    }

    @Override
    public void onCheckout(Connection pooled, long waitNanos) {
        waitTime.record(waitNanos);
    }

    @Override
    public void onCheckin(Connection pooled, long heldNanos) {
        useTime.record(heldNanos);
    }

    @Override
    public void onInvalidate(Connection pooled, Throwable cause, InvalidationReason reason) {
        invalidations[reason.ordinal()].increment();
    }

    @Override
    public void onInvalidateAll(Throwable cause) {
        wideInvalidations.increment();
    }

    @Override
    public void onConnectFailure(Throwable failure) {
        connectFailures.increment();
    }

    @Override
    public void onCheckoutWaited(long waitedNanos) {
        waits.increment();
    }

    @Override
    public void onCheckoutTimeout(long waitedNanos) {
        timeouts.increment();
    }
}
