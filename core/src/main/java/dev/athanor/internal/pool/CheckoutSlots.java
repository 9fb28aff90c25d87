package dev.athanor.internal.pool;

import dev.athanor.spi.PoolSpec;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The {@code poolSize + maxOverflow} limit as one queue, for a backend whose native pool waits badly: a checkout
 * {@link #take() takes} a slot, waiting up to {@code poolTimeout}, before it borrows from the native pool, and the
 * backend {@link #release() releases} it when the connection comes back or is discarded. No slots are kept when the
 * pool is unlimited.
 *
 * <p>Waiting checkouts are served in arrival order; one arriving just as a slot frees may take it first, as in
 * HikariCP and commons-pool2. The semaphore is deliberately not fair: a strict hand-off to the longest waiter costs a
 * thread wake-up per checkout under contention (measured with {@code ./compare}: a quarter of the throughput).
 */
public final class CheckoutSlots {
    private final PoolSpec spec;
    private final Semaphore slots;
    private final long timeoutNanos;

    public CheckoutSlots(PoolSpec spec) {
        this.spec = spec;
        this.slots = spec.unlimited() ? null : new Semaphore(spec.maxConnections());
        this.timeoutNanos = saturatedNanos(spec.poolTimeout());
    }

    /**
     * Takes a slot, waiting up to {@code poolTimeout}; throws SQLAlchemy's {@code PoolTimeoutException} when none frees
     * in time, or an {@link SQLException} when the thread is interrupted (its interrupt status is kept).
     */
    public void take() throws SQLException {
        if (slots == null) {
            return;
        }
        try {
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw spec.timeoutException(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("[" + spec.poolName() + "] interrupted while waiting for a connection", e);
        }
    }

    /** Gives back the slot of a connection returned or discarded (or of a checkout that failed after taking it). */
    public void release() {
        if (slots != null) {
            slots.release();
        }
    }

    /** Checkouts waiting for a slot now (an estimate, as {@link Semaphore#getQueueLength()}). */
    public int waiting() {
        return slots == null ? 0 : slots.getQueueLength();
    }

    /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} when it does not fit (a wait that never ends). */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
