package dev.athanor;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * How a factory routes read-only transactions to replicas (see the {@code replica*} options of
 * {@link SessionFactoryBuilder}). {@code clock} (nanoseconds) and {@code sql} are replaced only by tests.
 */
record ReplicaOptions(Duration cooldown, Duration maxLag, Duration lagCheckInterval, ReplicaFallback fallback,
                      ReplicaSelection selection, LongSupplier clock, Function<Dialect, ReplicaSql> sql) {
    static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(10);
    static final Duration DEFAULT_LAG_CHECK_INTERVAL = Duration.ofSeconds(1);
    static final ReplicaOptions DEFAULTS = new ReplicaOptions(DEFAULT_COOLDOWN, null, DEFAULT_LAG_CHECK_INTERVAL,
            ReplicaFallback.PRIMARY, ReplicaSelection.ROUND_ROBIN, System::nanoTime, ReplicaSql::of);

    long now() {
        return clock.getAsLong();
    }

    /** Adds what is wrong with these options to {@code problems}. */
    void check(List<String> problems) {
        if (cooldown == null || cooldown.isNegative()) {
            problems.add("replicaCooldown must be >= 0, was " + cooldown);
        }
        if (maxLag != null && (maxLag.isNegative() || maxLag.isZero())) {
            problems.add("replicaMaxLag must be > 0 (or null: no maximum), was " + maxLag);
        }
        if (lagCheckInterval == null || lagCheckInterval.isNegative() || lagCheckInterval.isZero()) {
            problems.add("replicaLagCheckInterval must be > 0, was " + lagCheckInterval);
        }
        if (fallback == null) {
            problems.add("replicaFallback must be one of PRIMARY, FAIL, was null");
        }
        if (selection == null) {
            problems.add("replicaSelection must be one of ROUND_ROBIN, IN_ORDER, was null");
        }
    }
}
