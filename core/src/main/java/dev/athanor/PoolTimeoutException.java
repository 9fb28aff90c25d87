package dev.athanor;

import java.time.Duration;
import java.util.Locale;

/**
 * A checkout waited {@code poolTimeout} for a connection while the pool was at its limit. The message follows
 * SQLAlchemy's QueuePool wording, prefixed by the pool name:
 * {@code [orders] QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00}.
 * The backend's own exception, when there is one, is the cause.
 */
public class PoolTimeoutException extends AthanorException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public PoolTimeoutException(String poolName, int poolSize, int maxOverflow, Duration timeout, Throwable cause) {
        super(message(poolName, poolSize, maxOverflow, timeout), cause);
        this.timeout = timeout;
    }

    /** How long the checkout waited. */
    public Duration timeout() {
        return timeout;
    }

    static String message(String poolName, int poolSize, int maxOverflow, Duration timeout) {
        double seconds = timeout.getSeconds() + timeout.getNano() / 1_000_000_000.0; // toNanos() overflows past 292 y
        return String.format(Locale.ROOT,
                "[%s] QueuePool limit of size %d overflow %d reached, connection timed out, timeout %.2f",
                poolName, poolSize, maxOverflow, seconds);
    }
}
