package dev.athanor;

import dev.athanor.internal.Arguments;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * When to rerun a whole unit of work ({@link SessionSource#inTransaction(RetryPolicy, SessionSource.SessionCallback)})
 * and how long to wait in between. Immutable: every method returns a new policy.
 *
 * <pre>{@code
 * sessions.useTransaction(RetryPolicy.serializable().maxAttempts(5), s -> {
 *     s.isolationLevel(IsolationLevel.SERIALIZABLE);
 *     long balance = s.execute("SELECT balance FROM accounts WHERE id = ?", from).scalar(Long.class);
 *     s.execute("UPDATE accounts SET balance = :b WHERE id = :id", Map.of("b", balance - amount, "id", from));
 * });
 * }</pre>
 *
 * <p>{@link #serializable()} retries the failures a database reports when concurrent transactions cannot all
 * succeed: serialization failures (SQLState {@code 40001}, which MariaDB and MySQL also use for deadlocks) and
 * deadlocks (PostgreSQL's {@code 40P01}, MariaDB/MySQL error {@code 1213}), found anywhere in the cause chain. It does
 * not change the isolation level: set that on the session (as above) or on the factory. Other errors and any
 * {@link Error} are not retried.
 *
 * <p>Whatever the predicate, a unit of work that may already have committed is never rerun: a
 * {@link CommitInDoubtException} (the connection was lost during COMMIT, so the server may have committed) and a
 * {@link PartialCommitException} (some binds committed or are in doubt), found anywhere in the cause chain, are thrown
 * to the caller, who must check idempotently what is there. A predicate that retries every
 * {@link DisconnectionException} therefore retries disconnects before COMMIT only.
 *
 * <p>Backoff is "full jitter": before attempt {@code n + 1} the wait is uniformly random between zero and
 * {@code min(max, initial * 2^(n-1))}, which spreads out the transactions that collided. Defaults: 3 attempts,
 * 10 ms initial, 1 s at most.
 */
public final class RetryPolicy {
    private static final Duration DEFAULT_INITIAL = Duration.ofMillis(10);
    private static final Duration DEFAULT_MAX = Duration.ofSeconds(1);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Predicate<? super Throwable> retryOn;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                        Predicate<? super Throwable> retryOn) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.retryOn = retryOn;
    }

    /** Retries serialization failures and deadlocks (see the class description). */
    public static RetryPolicy serializable() {
        return new RetryPolicy(3, DEFAULT_INITIAL, DEFAULT_MAX, RetryPolicy::isSerializationFailure);
    }

    /** Retries only what {@code retryOn} accepts. */
    public static RetryPolicy on(Predicate<? super Throwable> retryOn) {
        return new RetryPolicy(3, DEFAULT_INITIAL, DEFAULT_MAX, Arguments.notNull(retryOn, "retryOn"));
    }

    /** At most this many attempts in all (the first one included); at least 1. */
    public RetryPolicy maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, retryOn);
    }

    /** The backoff bounds: the first wait is at most {@code initial}, none is longer than {@code max}. */
    public RetryPolicy backoff(Duration initial, Duration max) {
        Arguments.notNull(initial, "initial");
        Arguments.notNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was initial " + initial + ", max "
                    + max);
        }
        return new RetryPolicy(maxAttempts, initial, max, retryOn);
    }

    /** Also retries what {@code alsoRetry} accepts (in addition to what this policy retries). */
    public RetryPolicy retryOn(Predicate<? super Throwable> alsoRetry) {
        Arguments.notNull(alsoRetry, "alsoRetry");
        Predicate<? super Throwable> current = retryOn;
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, t -> current.test(t) || alsoRetry.test(t));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Whether a unit of work that failed with {@code failure} may be run again. */
    public boolean shouldRetry(Throwable failure) {
        if (!(failure instanceof Exception) || mayHaveCommitted(failure)) {
            return false;
        }
        return retryOn.test(failure);
    }

    /**
     * True when part or all of the work may already be committed: a {@link PartialCommitException} or a
     * {@link CommitInDoubtException} anywhere in the cause chain. Rerunning such a unit could apply it twice, so no
     * predicate is even asked.
     */
    private static boolean mayHaveCommitted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PartialCommitException || t instanceof CommitInDoubtException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code failure} or one of its causes is an {@link SQLException} with SQLState {@code 40001}
     * (serialization failure; MariaDB/MySQL deadlock) or {@code 40P01} (PostgreSQL deadlock), or MariaDB/MySQL
     * error code 1213 (deadlock).
     */
    public static boolean isSerializationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                SQLException e = (SQLException) t;
                if ("40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || e.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The wait before the attempt after failed attempt {@code failedAttempt} (1-based), in nanoseconds. */
    long backoffNanos(int failedAttempt) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        if (max == 0) {
            return 0;
        }
        int shift = Math.min(failedAttempt - 1, 62);
        long cap = initial > (max >> shift) ? max : Math.min(max, initial << shift);
        return cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /** The first SQLState and vendor code in the cause chain, for the retry log line. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                SQLException e = (SQLException) t;
                return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode();
            }
        }
        return failure.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff + "]";
    }
}
