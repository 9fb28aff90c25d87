package dev.athanor.internal.pool;

import dev.athanor.spi.PoolSpec;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The {@code poolSize + maxOverflow} limit as one queue: a checkout {@link #take() takes} a slot, waiting up to
 * {@code poolTimeout}, before it asks the backend for a connection, and the engine {@link #release() releases} it
 * when the connection comes back, is discarded or could not be opened. No slots are kept when the pool is unlimited.
 *
 * <p>Waiting checkouts queue in arrival order (a fair semaphore). A checkout that finds a free slot may take it even
 * while others wait ("barging"), as in HikariCP and commons-pool2: a strict hand-off to the longest waiter costs a
 * thread wake-up per checkout under contention (measured with {@code ./compare}: three quarters of the throughput).
 * Barging alone can starve a waiter, though (threads that return a connection and check out again keep taking the
 * slot its wake-up was for), so it stops while the queue has not been served for {@value #PATIENCE_MILLIS} ms: then
 * newcomers queue behind the waiters until one of them gets a slot.
 */
public final class CheckoutSlots {
    static final long PATIENCE_MILLIS = 20;
    private static final long PATIENCE_NANOS = PATIENCE_MILLIS * 1_000_000;

    /** What {@link #take()} returns when a slot was free at once. */
    public static final long NOT_QUEUED = Long.MIN_VALUE;

    /** Enough permits for every checkout after close: far beyond the largest cap, far below overflowing an int. */
    private static final int CLOSED_PERMITS = 1 << 28;

    private final PoolSpec spec;
    private final Semaphore slots;
    private final long timeoutNanos;
    /** When a queued checkout last got a slot, or the queue last started; read only while checkouts wait. */
    private volatile long queueServedNanos = System.nanoTime();

    public CheckoutSlots(PoolSpec spec) {
        this.spec = spec;
        this.slots = spec.unlimited() ? null : new Semaphore(spec.maxConnections(), true);
        this.timeoutNanos = saturatedNanos(spec.poolTimeout());
    }

    /**
     * Takes a slot, waiting up to {@code poolTimeout}; throws SQLAlchemy's {@code PoolTimeoutException} when none frees
     * in time, or an {@link SQLException} when the thread is interrupted (its interrupt status is kept). Returns
     * {@link #NOT_QUEUED} when a slot was free at once (without reading the clock), else the {@link System#nanoTime()}
     * at which the checkout began to queue (no slot was free, or it let earlier waiters go first).
     */
    public long take() throws SQLException {
        if (slots == null) {
            return NOT_QUEUED;
        }
        // tryAcquire() takes a free slot even on a fair semaphore with waiters: the barging fast path.
        if ((!slots.hasQueuedThreads() || System.nanoTime() - queueServedNanos < PATIENCE_NANOS)
                && slots.tryAcquire()) {
            return NOT_QUEUED;
        }
        long queuedAt = System.nanoTime();
        try {
            if (!slots.hasQueuedThreads()) {
                queueServedNanos = queuedAt; // the queue starts now: its patience runs from here
            }
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw spec.timeoutException(null);
            }
            queueServedNanos = System.nanoTime();
            return queuedAt;
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

    /**
     * Wakes every waiting checkout and lets every later one through at once: the pool is closed, and each checkout
     * that gets past here finds that out.
     */
    public void close() {
        if (slots != null) {
            slots.release(CLOSED_PERMITS);
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
