package dev.athanor;

import java.time.Duration;
import java.util.Locale;

/**
 * The answer of {@link Engine#ping(Duration)}: whether the database answered, how long the check took, and when it did
 * not, what went wrong — the exception's class, its SQLState when the driver gave one, and its message (which never
 * holds a password). For a readiness endpoint: {@code engine.ping(Duration.ofSeconds(1)).isUp()}.
 */
public final class Health {
    /** Up: a connection was checked out and answered. Down: anything else within the timeout. */
    public enum Status { UP, DOWN }

    private final String engineName;
    private final Status status;
    private final Duration latency;
    private final String errorType;
    private final String sqlState;
    private final String message;

    private Health(String engineName, Status status, Duration latency, String errorType, String sqlState,
                   String message) {
        this.engineName = engineName;
        this.status = status;
        this.latency = latency;
        this.errorType = errorType;
        this.sqlState = sqlState;
        this.message = message;
    }

    static Health up(String engineName, long nanos) {
        return new Health(engineName, Status.UP, Duration.ofNanos(nanos), null, null, null);
    }

    static Health down(String engineName, long nanos, String errorType, String sqlState, String message) {
        return new Health(engineName, Status.DOWN, Duration.ofNanos(nanos), errorType, sqlState, message);
    }

    /** The engine's name ({@link Engine#name()}). */
    public String engineName() {
        return engineName;
    }

    public Status status() {
        return status;
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    /** How long the check took: the checkout and the round trip when up, the time until it gave up when down. */
    public Duration latency() {
        return latency;
    }

    /**
     * The class name of what went wrong when down ({@code dev.athanor.DisconnectionException},
     * {@code java.util.concurrent.TimeoutException} when there was no answer in time); null when up.
     */
    public String errorType() {
        return errorType;
    }

    /** The SQLState of the driver's error when down and the driver gave one ({@code 08001}); else null. */
    public String sqlState() {
        return sqlState;
    }

    /** What went wrong when down, without passwords; null when up. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        String ms = String.format(Locale.ROOT, "%.3f ms", latency.toNanos() / 1e6);
        if (isUp()) {
            return "Health[" + engineName + ": UP in " + ms + "]";
        }
        return "Health[" + engineName + ": DOWN after " + ms + ": " + errorType
                + (sqlState != null ? " (SQLState " + sqlState + ")" : "") + ": " + message + "]";
    }
}
