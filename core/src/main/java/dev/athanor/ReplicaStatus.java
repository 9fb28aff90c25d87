package dev.athanor;

import java.time.Duration;

/**
 * One replica as {@link SessionFactory#replicaStatus()} sees it.
 *
 * @param bind              the bind it serves reads for
 * @param engine            the replica engine's name (its pool name)
 * @param state             whether read-only transactions go to it now
 * @param lag               its last measured replication lag; {@code null} when no maximum lag is set, before the
 *                          first measurement, or when it could not be measured
 * @param lastError         the last failure seen on it (connect, lost connection, lag check), passwords masked;
 *                          {@code null} when none; kept after it is up again, as a record
 * @param cooldownRemaining how long it stays skipped after a failure; {@link Duration#ZERO} unless cooling down
 */
public record ReplicaStatus(String bind, String engine, ReplicaState state, Duration lag, String lastError,
                            Duration cooldownRemaining) {
    @Override
    public String toString() {
        return "Replica[" + bind + " -> " + engine + ": " + state
                + (lag != null ? ", lag " + lag.toMillis() + " ms" : "")
                + (state == ReplicaState.COOLING_DOWN ? ", " + cooldownRemaining.toMillis() + " ms left" : "")
                + (lastError != null ? ", last error: " + lastError : "") + "]";
    }
}
