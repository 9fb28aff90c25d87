package dev.athanor.pool.hikari;

import dev.athanor.PoolStatus;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adapter's own counts, which {@link HikariPoolBackend#status()} reports and the sizing rules are decided on.
 * HikariCP's counts are not used: they include entries the adapter has already closed (until a borrow evicts them)
 * and failed connects on their way to a waiting checkout. Thread-safe; every rule is a compare-and-set, so concurrent
 * checkins cannot both take the last idle slot.
 */
final class Counts {
    /** How long HikariCP may go without a connect under way while checkouts past their timeout wait for one. */
    private static final long CONNECT_IDLE_GRACE_NANOS = Duration.ofSeconds(2).toNanos();

    /** One unit of the checked-out count in {@link #lent}: it sits in the high 32 bits, the idle count in the low. */
    private static final long ONE_OUT = 1L << 32;

    private final int maxIdle;
    private final int maxConnections;
    /**
     * The checked-out count (high 32 bits) and the idle count (low 32 bits: pooled connections in state IDLE, plus
     * slots reserved by checkins on their way back), in one word so that a checkout or checkin moves a connection
     * between them with one atomic operation, and {@link #status} reads both at the same instant.
     */
    private final AtomicLong lent = new AtomicLong();
    /** Physical connections open (idle, lent, or closing). */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    /** Checkouts past their timeout that wait for a connect under way: at most one per connect. */
    private final AtomicInteger overdue = new AtomicInteger();
    private volatile long lastConnectActivity = System.nanoTime();

    Counts(int maxIdle, int maxConnections) {
        this.maxIdle = maxIdle;
        this.maxConnections = maxConnections;
    }

    PoolStatus status(int poolSize) {
        long n = lent.get();
        return PoolStatus.queue(poolSize, idle(n), checkedOut(n));
    }

    private static int idle(long n) {
        return (int) n;
    }

    private static int checkedOut(long n) {
        return (int) (n >>> 32);
    }

    /** Takes an idle slot for a new connection if fewer than {@code maxIdle} are taken; false when it must close. */
    boolean reserveIdle() {
        return takeIdleSlot(1);
    }

    /** A lent connection comes back to be kept: it takes an idle slot if one is free; false when it must close. */
    boolean returnIdle() {
        return takeIdleSlot(1 - ONE_OUT);
    }

    /** Adds {@code delta} (one idle slot, and whatever else moves with it) unless {@code maxIdle} are taken. */
    private boolean takeIdleSlot(long delta) {
        while (true) {
            long n = lent.get();
            if (idle(n) >= maxIdle) {
                return false;
            }
            if (lent.compareAndSet(n, n + delta)) {
                return true;
            }
        }
    }

    void idleLeft() {
        lent.decrementAndGet();
    }

    /** An idle connection is lent: it leaves the idle count and joins the checked-out one. */
    void lentFromIdle() {
        lent.addAndGet(ONE_OUT - 1);
    }

    /** A lent connection comes back and is not kept. */
    void returned() {
        lent.addAndGet(-ONE_OUT);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    void connectStarted() {
        connecting.incrementAndGet();
        lastConnectActivity = System.nanoTime();
    }

    void connectEnded() {
        lastConnectActivity = System.nanoTime();
        connecting.decrementAndGet();
    }

    /** True when no further connection may be opened: SQLAlchemy's "limit reached". */
    boolean atLimit() {
        return open.get() + connecting.get() >= maxConnections;
    }

    /**
     * True while HikariCP is opening connections for waiters: one is under way, or one ended or was asked for (by
     * the checkout that started at {@code start}) so recently that the next may not have started yet (HikariCP
     * pauses 30 ms after each). A safety net: should HikariCP stop opening connections, a checkout past its timeout
     * fails instead of waiting forever.
     */
    boolean connectsUnderWay(long start) {
        long now = System.nanoTime();
        return connecting.get() > 0 || now - lastConnectActivity < CONNECT_IDLE_GRACE_NANOS
                || now - start < CONNECT_IDLE_GRACE_NANOS;
    }

    /**
     * At the limit, a checkout past its timeout may still wait for a connect under way, as the SQLAlchemy borrower
     * that took the last overflow slot waits for its own connect: one such checkout per connect under way. Call
     * {@link #connectTicketStillValid()} on each later timeout and {@link #releaseConnectTicket()} when done.
     */
    boolean takeConnectTicket() {
        while (true) {
            int n = overdue.get();
            if (n >= connecting.get()) {
                return false;
            }
            if (overdue.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** False once the connects under way are fewer than the checkouts waiting for them (one went elsewhere). */
    boolean connectTicketStillValid() {
        return overdue.get() <= connecting.get();
    }

    void releaseConnectTicket() {
        overdue.decrementAndGet();
    }
}
