package dev.athanor.internal.pool;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@code leakThreshold}: one borrow watched for being held too long. Made at checkout (with the stack of
 * the checkout), it logs once at WARN when the threshold passes and the connection is still out, and, if it did, once
 * at INFO when the connection finally comes back ({@link #run()}, called when the borrow ends by a return or an
 * invalidation). One shared daemon timer thread serves every engine; a borrow returned in time only cancels its task.
 */
final class HeldTooLong implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool");
    private static final int WATCHING = 0;
    private static final int REPORTED = 1;
    private static final int RETURNED = 2;
    private static final AtomicIntegerFieldUpdater<HeldTooLong> STATE =
            AtomicIntegerFieldUpdater.newUpdater(HeldTooLong.class, "state");

    private static final class Timer {
        static final ScheduledThreadPoolExecutor TIMER = timer();

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "athanor-leak-threshold");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true); // a returned borrow leaves nothing behind in the queue
            return t;
        }
    }

    private final String poolName;
    private final Duration threshold;
    private final String thread;
    private final long startNanos;
    private final Throwable checkedOutHere;
    private final ScheduledFuture<?> report;
    /** {@link #WATCHING}, then {@link #REPORTED} or {@link #RETURNED}: each line is logged at most once. */
    private volatile int state;

    private HeldTooLong(String poolName, Duration threshold, long startNanos) {
        this.poolName = poolName;
        this.threshold = threshold;
        this.thread = Thread.currentThread().getName();
        this.startNanos = startNanos;
        this.checkedOutHere = new Throwable("the connection was checked out here, on thread '" + thread + "'");
        this.report = Timer.TIMER.schedule(this::report, CheckoutSlots.saturatedNanos(threshold),
                TimeUnit.NANOSECONDS);
    }

    /** Starts watching a borrow that started at {@code startNanos}. */
    static HeldTooLong watch(String poolName, Duration threshold, long startNanos) {
        return new HeldTooLong(poolName, threshold, startNanos);
    }

    private void report() {
        if (!STATE.compareAndSet(this, WATCHING, REPORTED)) {
            return; // returned just in time
        }
        LOG.warn("[{}] a connection checked out on thread '{}' {} ago has not been returned (leakThreshold {})",
                poolName, thread, seconds(System.nanoTime() - startNanos), threshold, checkedOutHere);
    }

    /** The borrow ended: cancels the report, or logs the return of a connection that was reported. */
    @Override
    public void run() {
        report.cancel(false);
        if (STATE.getAndSet(this, RETURNED) == REPORTED) {
            LOG.info("[{}] the connection reported as held too long (checked out on thread '{}') came back after {}",
                    poolName, thread, seconds(System.nanoTime() - startNanos));
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
