package dev.athanor.internal.pool;

import dev.athanor.CheckoutInterruptedException;
import dev.athanor.DisconnectionException;
import dev.athanor.InvalidationReason;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.ResetOnReturn;
import dev.athanor.internal.Errors;
import dev.athanor.internal.Secrets;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's pool: SQLAlchemy's QueuePool rules, once, around whatever backend stores the connections. It owns the
 * {@code poolSize + maxOverflow} cap and the queue of waiting checkouts ({@link CheckoutSlots}), the timeout, the
 * idle cap, lazy growth, the counts, recycle and pre-ping at checkout, pool-wide invalidation, reset on return, the
 * session settings put back on return, and the checkout, checkin and invalidate events. The backend only keeps, hands
 * out, opens and closes connections ({@link PoolBackend}).
 *
 * <p>A checkout takes a slot (waiting up to {@code poolTimeout}), then asks the backend for a connection (idle, or a
 * new one); a return gives the connection back to the backend while fewer than {@code poolSize} are idle and closes
 * it otherwise, then frees the slot, which wakes the longest-waiting checkout. Invalidation and a failed connect free
 * the slot the same way. With none of recycle, pre-ping or a past invalidation in play, a checkout is a slot, one
 * backend call and two counter updates.
 */
public final class ManagedPool {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool");
    private static final int PING_TIMEOUT_SECONDS = 5;
    private static final long OUT = 1L;
    private static final long IDLE = 1L << 32;

    /** What the engine applies around every backend and that a backend is never told. */
    public static final class Rules {
        final boolean prePing;
        final Duration poolRecycle;
        final ResetOnReturn resetOnReturn;
        final IsolationLevel isolationLevel;
        /** A borrow held longer than this is logged ({@link HeldTooLong}); null: not watched. */
        final Duration leakThreshold;

        public Rules(boolean prePing, Duration poolRecycle, ResetOnReturn resetOnReturn, IsolationLevel isolationLevel) {
            this(prePing, poolRecycle, resetOnReturn, isolationLevel, null);
        }

        public Rules(boolean prePing, Duration poolRecycle, ResetOnReturn resetOnReturn, IsolationLevel isolationLevel,
                     Duration leakThreshold) {
            this.prePing = prePing;
            this.poolRecycle = poolRecycle;
            this.resetOnReturn = resetOnReturn;
            this.isolationLevel = isolationLevel;
            this.leakThreshold = leakThreshold;
        }

        /** SQLAlchemy's defaults: no pre-ping, no recycle, rollback on return. */
        public static Rules defaults() {
            return new Rules(false, null, ResetOnReturn.ROLLBACK, null, null);
        }
    }

    private final PoolSpec spec;
    private final Rules rules;
    private final PoolProvider provider;
    private final EngineConnectionSource source;
    private final Listeners listeners;
    private final Secrets secrets;
    private final boolean prePing;
    private final long recycleNanos;
    private final boolean resetRollback;
    private final boolean resetCommit;
    private final Duration leakThreshold;
    private final CheckoutSlots slots;
    private final int maxIdle;
    /**
     * The counts in one word, so that each change is one atomic operation and every read a consistent snapshot:
     * idle connections in the high 32 bits, checked-out ones in the low 32 bits.
     */
    private final AtomicLong counts = new AtomicLong();

    private volatile PoolBackend backend;
    /** The backend when it is a core pool with rules of its own ({@code null}, {@code static}); else null. */
    private volatile OwnRules own;
    private volatile boolean closed;
    /** True once a pool-wide invalidation happened; then connections opened before the instant are replaced. */
    private volatile boolean invalidationPending;
    private volatile long invalidatedBeforeNanos;

    public ManagedPool(PoolSpec spec, Rules rules, PoolProvider provider, EngineConnectionSource source,
                       Listeners listeners, Secrets secrets) {
        this.spec = spec;
        this.rules = rules;
        this.provider = provider;
        this.source = source;
        this.listeners = listeners;
        this.secrets = secrets;
        this.prePing = rules.prePing;
        // A recycle age too long for a long of nanoseconds (e.g. ChronoUnit.FOREVER) never comes: saturate.
        this.recycleNanos = rules.poolRecycle == null ? 0 : CheckoutSlots.saturatedNanos(rules.poolRecycle);
        this.resetRollback = rules.resetOnReturn == ResetOnReturn.ROLLBACK;
        this.resetCommit = rules.resetOnReturn == ResetOnReturn.COMMIT;
        this.leakThreshold = rules.leakThreshold;
        this.slots = new CheckoutSlots(spec);
        this.maxIdle = spec.maxIdle();
        source.onPhysicalClose(this::physicalClosed);
    }

    public PoolSpec spec() {
        return spec;
    }

    public Rules rules() {
        return rules;
    }

    public String name() {
        return spec.poolName();
    }

    /** The backend, made on first use. */
    public PoolBackend backend() {
        PoolBackend b = backend;
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (closed) {
                throw closedFailure();
            }
            if (backend == null) {
                PoolBackend made = provider.create(spec, source);
                own = made instanceof OwnRules ? (OwnRules) made : null;
                backend = made;
                LOG.info("[{}] started {} pool for {}", spec.poolName(), provider.name(), source.describe());
            }
            return backend;
        }
    }

    private IllegalStateException closedFailure() {
        return new IllegalStateException("[" + spec.poolName() + "] engine is closed");
    }

    /** Checks a connection out: a slot, then the backend, applying recycle, pool-wide invalidation and pre-ping. */
    public Connection checkout() {
        if (closed) {
            throw closedFailure();
        }
        PoolBackend b = backend();
        OwnRules o = own;
        boolean timed = listeners.active() || leakThreshold != null;
        boolean inspecting = prePing || recycleNanos > 0 || invalidationPending;
        long startNanos = inspecting ? System.nanoTime() : 0L;
        long queuedAt = o == null ? takeSlot(startNanos) : CheckoutSlots.NOT_QUEUED;
        PhysicalConnection p;
        while (true) {
            p = take(b, o);
            if ((inspecting || invalidationPending) && !acceptable(p, startNanos, o)) {
                continue; // replaced: the slot is still this checkout's
            }
            break;
        }
        // The clock is read once here (the use time starts) and once at the return; the time it took to obtain the
        // connection is measured from what was read anyway: the start of inspecting, of queueing or of the connect.
        long lentNanos = timed ? System.nanoTime() : 0L;
        boolean firstLend = p.lentAt(lentNanos,
                leakThreshold == null ? null : HeldTooLong.watch(spec.poolName(), leakThreshold, lentNanos));
        try {
            listeners.checkout(p, timed ? lentNanos - obtainingSince(startNanos, queuedAt, firstLend, p, lentNanos)
                    : 0L);
        } catch (Error listenerError) {
            // A listener's Error (Exceptions are logged and ignored) fails the checkout, but never strands the
            // connection: it goes back first, with its checkin event, so that counts and event pairs stay right.
            try {
                checkin(p, false);
            } catch (Error again) {
                listenerError.addSuppressed(again);
            }
            throw listenerError;
        }
        return p;
    }

    /**
     * When obtaining the connection began: the checkout's start when it was read (rules to inspect), else when it
     * began to queue, else — for a connection opened for this checkout — when its connect began; else now (a free slot
     * and an idle connection: nothing worth a clock read was waited for).
     */
    private static long obtainingSince(long startNanos, long queuedAt, boolean firstLend, PhysicalConnection p,
                                       long now) {
        if (startNanos != 0L) {
            return startNanos;
        }
        if (queuedAt != CheckoutSlots.NOT_QUEUED) {
            return queuedAt;
        }
        return firstLend ? p.connectStartNanos() : now;
    }

    /** Takes a slot; returns when the checkout began to queue, or {@link CheckoutSlots#NOT_QUEUED}. */
    private long takeSlot(long startNanos) {
        long queuedAt;
        try {
            queuedAt = slots.take();
        } catch (PoolTimeoutException e) {
            // The start was not read when nothing needed it: the wait was poolTimeout then (it never ends earlier).
            listeners.checkoutTimeout(startNanos != 0L ? System.nanoTime() - startNanos
                    : CheckoutSlots.saturatedNanos(spec.poolTimeout()));
            throw e;
        } catch (SQLException e) {
            throw new CheckoutInterruptedException(spec.poolName(), e);
        }
        if (queuedAt != CheckoutSlots.NOT_QUEUED && listeners.active()) {
            listeners.checkoutWaited(System.nanoTime() - (startNanos != 0L ? startNanos : queuedAt));
        }
        if (closed) {
            slots.release();
            throw closedFailure();
        }
        return queuedAt;
    }

    /** One connection from the backend, counted out; a failure gives the slot back. */
    private PhysicalConnection take(PoolBackend b, OwnRules o) {
        PhysicalConnection p;
        try {
            Connection c = b.take();
            p = physical(b, c);
            if (o == null) {
                p.lend(c);
                counts.addAndGet(p.leaveIdle() ? OUT - IDLE : OUT);
            }
            return p;
        } catch (SQLException e) {
            if (o == null) {
                slots.release();
            }
            if (interrupted(e)) {
                throw new CheckoutInterruptedException(spec.poolName(), e);
            }
            if (closed) {
                throw closedFailure();
            }
            DisconnectionException failure = Errors.connectFailure(spec.poolName(), source.describe(), e, secrets);
            listeners.connectFailure(failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            if (o == null) {
                slots.release();
            }
            throw e;
        }
    }

    /** Nanoseconds since {@code startNanos}; 0 when the start was not measured. */
    private static long since(long startNanos) {
        return startNanos == 0L ? 0L : System.nanoTime() - startNanos;
    }

    /**
     * Whether a failed checkout failed because its thread was interrupted: the backends keep the interrupt status
     * set (or report an {@link InterruptedException} as the cause) whether they were inside the native pool or
     * waiting for a connect.
     */
    private static boolean interrupted(SQLException e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // a backend that lost the status: the caller must still see it
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Applies the checkout-time rules to {@code p}; false when it was replaced (it has then been discarded, and the
     * checkout keeps its slot for the next one).
     */
    private boolean acceptable(PhysicalConnection p, long checkoutStartNanos, OwnRules o) {
        // Fresh means opened for this very checkout: it is neither recycled nor pinged. Being handed out for the
        // first time is not enough: a backend that fills its pool in the background hands out connections it opened
        // long before, possibly before the database restarted.
        boolean fresh = p.markHandedOut() && p.openedAtNanos() - checkoutStartNanos >= 0;
        if (stale(p)) {
            replace(p, o, InvalidationReason.STALE);
            return false;
        }
        if (fresh) {
            return true;
        }
        if (recycleNanos > 0 && System.nanoTime() - p.openedAtNanos() > recycleNanos) {
            LOG.debug("[{}] recycling a connection older than {}", spec.poolName(), rules.poolRecycle);
            replace(p, o, InvalidationReason.RECYCLE);
            return false;
        }
        if (prePing && !ping(p)) {
            LOG.warn("[{}] a pooled connection failed pre-ping; replacing every connection opened before now",
                    spec.poolName());
            replace(p, o, InvalidationReason.PRE_PING);
            return false;
        }
        return true;
    }

    /** True when {@code p} was opened before the last pool-wide invalidation. */
    private boolean stale(PhysicalConnection p) {
        return invalidationPending && p.openedAtNanos() - invalidatedBeforeNanos < 0;
    }

    /** Discards a connection found unfit at checkout; the checkout keeps its slot and takes another. */
    private void replace(PhysicalConnection p, OwnRules o, InvalidationReason reason) {
        if (reason == InvalidationReason.PRE_PING) {
            invalidateAll(null);
        }
        try {
            listeners.invalidate(p, null, reason);
        } finally {
            if (o != null) {
                o.discard(p);
            } else {
                Connection lease = p.endLease();
                counts.addAndGet(-OUT);
                backend.discard(lease);
            }
        }
    }

    private static boolean ping(Connection c) {
        try {
            return c.isValid(PING_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private PhysicalConnection physical(PoolBackend b, Connection c) {
        if (c instanceof PhysicalConnection) {
            return (PhysicalConnection) c;
        }
        try {
            return c.unwrap(PhysicalConnection.class);
        } catch (SQLException | RuntimeException e) {
            b.discard(c); // unusable by the engine: never left open in the backend
            throw new IllegalStateException("[" + spec.poolName() + "] backend " + provider.name() + " handed out a"
                    + " connection that does not unwrap to the one ConnectionSource.connect() returned: " + c, e);
        }
    }

    /**
     * Returns a connection: reset on return (when the borrower may have left a transaction open), the session
     * settings the borrower changed put back, the checkin event, then the backend keeps it (fewer than
     * {@code poolSize} idle) or closes it, and the slot is freed. A connection whose reset fails, or whose physical
     * connection the borrower closed, is invalidated instead. The backend gets the connection back whatever a
     * listener throws; a listener's {@link Error} is rethrown after that.
     */
    public void checkin(Connection c, boolean mayBeInTransaction) {
        PhysicalConnection p = (PhysicalConnection) c;
        endWatch(p);
        if (physicallyClosed(p)) {
            // The borrower closed (or aborted) the physical connection itself, e.g. through jdbc().unwrap(...): it
            // must never be pooled, and its reset would fail with a "closed" error that is no disconnect.
            LOG.debug("[{}] a returned connection was closed by its borrower; discarding it", spec.poolName());
            invalidate(p, null, InvalidationReason.CLOSED_BY_BORROWER, false);
            return;
        }
        OwnRules o = own;
        if (o == null && stale(p)) {
            // It would be replaced at its next checkout; and a backend may drop it in keep() without a word
            // (HikariCP's and c3p0's dispose evict borrowed connections as they come back), which no event would
            // report. Discarded now instead, with its event, whatever the backend. (A core pool keeps its own rules:
            // StaticPool's one connection may still be shared.)
            invalidate(p, null, InvalidationReason.STALE, false);
            return;
        }
        try {
            if (mayBeInTransaction && (resetRollback || resetCommit) && !p.getAutoCommit()) {
                if (resetRollback) {
                    p.rollback();
                } else {
                    p.commit();
                }
            }
            if (o == null && p.changed()) {
                p.restore();
            }
        } catch (SQLException e) {
            LOG.warn("[{}] reset on return ({}) failed; discarding the connection: {}", spec.poolName(),
                    rules.resetOnReturn, secrets.scrub(Errors.describe(e)));
            invalidate(p, e, InvalidationReason.RESET_FAILED, Errors.isDisconnect(e));
            return;
        }
        try {
            if (listeners.active()) {
                listeners.checkin(p, since(p.lentAtNanos()));
            }
        } finally {
            if (o != null) {
                keepOwn(o, p);
            } else {
                giveBack(p);
            }
        }
    }

    private void keepOwn(OwnRules o, PhysicalConnection p) {
        try {
            o.keep(p);
        } catch (SQLException e) {
            LOG.warn("[{}] the pool failed to take a connection back: {}", spec.poolName(),
                    secrets.scrub(Errors.describe(e)));
        }
    }

    /** The backend keeps the connection while fewer than poolSize are idle, else closes it; then the slot frees. */
    private void giveBack(PhysicalConnection p) {
        Connection lease = p.endLease();
        if (lease == null) {
            return; // returned twice: the first return counted
        }
        PoolBackend b = backend;
        try {
            if (returnIdle()) {
                p.markIdle();
                try {
                    b.keep(lease);
                } catch (SQLException | RuntimeException e) {
                    if (p.leaveIdle()) {
                        counts.addAndGet(-IDLE);
                    }
                    LOG.warn("[{}] the backend failed to keep a returned connection; discarding it: {}",
                            spec.poolName(), secrets.scrub(e.toString()));
                    b.discard(lease);
                }
            } else {
                b.discard(lease);
            }
        } finally {
            slots.release();
        }
    }

    /**
     * Moves a returned connection from checked out to idle unless {@code poolSize} are idle already (or the pool is
     * closed): one compare-and-set, so the idle cap is exact. False: it only stops counting as checked out.
     */
    private boolean returnIdle() {
        while (true) {
            long now = counts.get();
            if (closed || (int) (now >>> 32) >= maxIdle) {
                counts.addAndGet(-OUT);
                return false;
            }
            if (counts.compareAndSet(now, now + IDLE - OUT)) {
                return true;
            }
        }
    }

    /** Whatever closed it (dispose, the native pool's own eviction, close), an idle connection stops counting. */
    private void physicalClosed(PhysicalConnection p) {
        if (p.leaveIdle()) {
            counts.addAndGet(-IDLE);
        }
    }

    /** True when the physical connection under {@code p} is known to be closed (a local check, no round trip). */
    private static boolean physicallyClosed(PhysicalConnection p) {
        try {
            return p.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false; // reset finds out
        }
    }

    /** Ends the borrow's held-too-long watch, if any: the connection is back (returned or invalidated). */
    private static void endWatch(PhysicalConnection p) {
        Runnable watch = p.takeLendWatch();
        if (watch != null) {
            watch.run();
        }
    }

    /**
     * Discards a borrowed connection and frees its slot. With {@code poolWide}, every connection opened before now is
     * replaced at its next checkout as well (SQLAlchemy's behaviour after a disconnect or a failed ping).
     */
    public void invalidate(Connection c, Throwable cause, InvalidationReason reason, boolean poolWide) {
        PhysicalConnection p = (PhysicalConnection) c;
        endWatch(p);
        if (poolWide) {
            invalidateAll(cause);
        }
        try {
            listeners.invalidate(p, cause, reason);
        } finally {
            PoolBackend b = backend;
            OwnRules o = own;
            if (b == null) {
                Pools.closeQuietly(p);
            } else if (o != null) {
                o.discard(p);
            } else {
                Connection lease = p.endLease();
                if (lease != null) {
                    counts.addAndGet(-OUT);
                    try {
                        b.discard(lease);
                    } finally {
                        slots.release();
                    }
                }
            }
        }
    }

    /**
     * Marks every connection open now as stale: each is discarded when it is returned (queue pools) or replaced at
     * its next checkout; {@code cause} may be null.
     */
    public void invalidateAll(Throwable cause) {
        invalidatedBeforeNanos = System.nanoTime();
        invalidationPending = true;
        listeners.invalidateAll(cause);
    }

    public PoolStatus status() {
        OwnRules o = own;
        if (o != null) {
            return o.status();
        }
        long now = counts.get();
        return PoolStatus.queue(spec.poolSize(), spec.unlimited() ? -1 : spec.maxConnections(), (int) (now >>> 32),
                (int) now, slots.waiting());
    }

    /** Checkouts waiting for a slot now (an estimate). */
    public int waiting() {
        return slots.waiting();
    }

    public void dispose() {
        PoolBackend b = backend;
        if (b != null) {
            b.dispose();
            LOG.debug("[{}] disposed idle connections", spec.poolName());
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        slots.close();
        PoolBackend b = backend;
        if (b != null) {
            b.close();
            LOG.info("[{}] closed {} pool", spec.poolName(), provider.name());
        }
    }

    public String providerName() {
        return provider.name();
    }

    public EngineConnectionSource source() {
        return source;
    }

    public Listeners listeners() {
        return listeners;
    }
}
