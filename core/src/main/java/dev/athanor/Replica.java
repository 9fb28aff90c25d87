package dev.athanor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica engine of a bind and what the router knows of it: until when it cools down after a failure, its last
 * measured lag and when to measure it again. Shared by every session of the factory; written without locks (a
 * stale read costs at most one extra attempt or one skipped replica).
 */
final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.replica");

    private final String factory;
    private final String bind;
    private final Engine engine;
    private final ReplicaOptions options;
    private volatile long coolingUntil;
    private volatile boolean cooling;
    private volatile boolean lagging;
    private volatile Duration lag;
    private volatile String lastError;
    /** When the lag may be measured next (clock nanos); claimed by compare-and-set so one session measures it. */
    private final AtomicLong nextLagCheck;

    Replica(String factory, String bind, Engine engine, ReplicaOptions options) {
        this.factory = factory;
        this.bind = bind;
        this.engine = engine;
        this.options = options;
        this.nextLagCheck = new AtomicLong(options.now());
    }

    Engine engine() {
        return engine;
    }

    /** Why a transaction cannot go here now, or {@code null} when it may be tried. */
    String skipReason(long now) {
        if (cooling) {
            if (now - coolingUntil < 0) {
                return "cooling down after: " + lastError;
            }
            cooling = false;
            LOG.info("[{}] replica {} of bind '{}' is tried again after its cool-down", factory, engine.name(), bind);
        }
        if (lagging && now - nextLagCheck.get() < 0) {
            return lagText();
        }
        return null;
    }

    boolean lagging() {
        return lagging;
    }

    String lagText() {
        Duration l = lag;
        return l == null ? "lag unknown: " + lastError : "lagging " + l.toMillis() + " ms behind";
    }

    /** True for exactly one caller per lag-check interval, when a maximum lag is set. */
    boolean claimLagCheck(long now) {
        if (options.maxLag() == null) {
            return false;
        }
        long next = nextLagCheck.get();
        return now - next >= 0 && nextLagCheck.compareAndSet(next, now + options.lagCheckInterval().toNanos());
    }

    /** Records a measured lag ({@code null}: could not be measured, {@code error} says why); true when too far. */
    boolean lagMeasured(Duration measured, String error) {
        lag = measured;
        boolean was = lagging;
        lagging = measured == null || measured.compareTo(options.maxLag()) > 0;
        if (error != null) {
            lastError = error;
        }
        if (lagging && !was) {
            LOG.warn("[{}] replica {} of bind '{}' is skipped: {}", factory, engine.name(), bind,
                    measured == null ? "its lag is unknown: " + error
                            : "it is " + measured.toMillis() + " ms behind, over the maximum of "
                            + options.maxLag().toMillis() + " ms");
        }
        return lagging;
    }

    /** Skips this replica for the cool-down: it could not be reached, or a connection to it was lost. */
    void coolDown(long now, String error) {
        lastError = error;
        coolingUntil = now + options.cooldown().toNanos();
        if (!cooling) {
            cooling = true;
            LOG.warn("[{}] replica {} of bind '{}' is skipped for {} ms: {}", factory, engine.name(), bind,
                    options.cooldown().toMillis(), error);
        }
    }

    ReplicaStatus status(long now) {
        boolean coolingNow = cooling && now - coolingUntil < 0;
        ReplicaState state = coolingNow ? ReplicaState.COOLING_DOWN
                : lagging ? ReplicaState.LAGGING : ReplicaState.UP;
        Duration left = coolingNow ? Duration.ofNanos(coolingUntil - now) : Duration.ZERO;
        return new ReplicaStatus(bind, engine.name(), state, lag, lastError, left);
    }
}
