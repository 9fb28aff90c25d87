package dev.athanor.internal.pool;

import dev.athanor.CheckoutInterruptedException;
import dev.athanor.PoolStatus;
import dev.athanor.internal.Errors;
import dev.athanor.internal.Secrets;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of a pool: creates the backend lazily, and around every backend does what must mean the same
 * on all of them — recycle and pre-ping at checkout, pool-wide invalidation, reset on return, and the checkout,
 * checkin and invalidate events. With none of recycle, pre-ping or a past invalidation in play, a checkout is one
 * backend call and one listener-array read.
 */
public final class ManagedPool {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool");
    private static final int PING_TIMEOUT_SECONDS = 5;

    private final PoolSpec spec;
    private final PoolProvider provider;
    private final EngineConnectionSource source;
    private final Listeners listeners;
    private final Secrets secrets;
    private final boolean prePing;
    private final long recycleNanos;
    private final boolean resetRollback;
    private final boolean resetCommit;

    private volatile PoolBackend backend;
    private volatile boolean closed;
    /** True once a pool-wide invalidation happened; then connections opened before the instant are replaced. */
    private volatile boolean invalidationPending;
    private volatile long invalidatedBeforeNanos;

    public ManagedPool(PoolSpec spec, PoolProvider provider, EngineConnectionSource source, Listeners listeners,
                       Secrets secrets) {
        this.spec = spec;
        this.provider = provider;
        this.source = source;
        this.listeners = listeners;
        this.secrets = secrets;
        this.prePing = spec.prePing();
        // A recycle age too long for a long of nanoseconds (e.g. ChronoUnit.FOREVER) never comes: saturate.
        this.recycleNanos = spec.poolRecycle() == null ? 0 : CheckoutSlots.saturatedNanos(spec.poolRecycle());
        this.resetRollback = spec.resetOnReturn() == dev.athanor.ResetOnReturn.ROLLBACK;
        this.resetCommit = spec.resetOnReturn() == dev.athanor.ResetOnReturn.COMMIT;
    }

    public PoolSpec spec() {
        return spec;
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
                throw new IllegalStateException("[" + spec.poolName() + "] engine is closed");
            }
            if (backend == null) {
                backend = provider.create(spec, source);
                LOG.info("[{}] started {} pool for {}", spec.poolName(), provider.name(), source.describe());
            }
            return backend;
        }
    }

    /** Checks a connection out, applying recycle, pool-wide invalidation and pre-ping. */
    public Connection checkout() {
        if (closed) {
            throw new IllegalStateException("[" + spec.poolName() + "] engine is closed");
        }
        PoolBackend b = backend();
        boolean inspecting = prePing || recycleNanos > 0 || invalidationPending;
        long startNanos = inspecting ? System.nanoTime() : 0L;
        while (true) {
            Connection c;
            try {
                c = b.checkout();
            } catch (SQLException e) {
                if (interrupted(e)) {
                    throw new CheckoutInterruptedException(spec.poolName(), e);
                }
                throw Errors.connectFailure(spec.poolName(), source.describe(), e, secrets);
            }
            if (inspecting || invalidationPending) {
                if (inspect(c, startNanos) != null) {
                    continue;
                }
            }
            try {
                listeners.checkout(c);
            } catch (Error listenerError) {
                // A listener's Error (Exceptions are logged and ignored) fails the checkout, but never strands the
                // connection: it goes back first, with its checkin event, so that counts and event pairs stay right.
                try {
                    checkin(c, false);
                } catch (Error again) {
                    listenerError.addSuppressed(again);
                }
                throw listenerError;
            }
            return c;
        }
    }

    /**
     * Whether a failed checkout failed because its thread was interrupted: the backends keep the interrupt status
     * set (or report an {@link InterruptedException} as the cause) whether they were waiting for a slot, inside
     * the native pool or for a connect.
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
     * Applies the checkout-time rules to {@code c}; returns null when it may be handed out, or why it was replaced
     * (it has then been invalidated).
     */
    private String inspect(Connection c, long checkoutStartNanos) {
        PhysicalConnection p = physical(c);
        if (p == null) {
            return null;
        }
        // Fresh means opened for this very checkout: it is neither recycled nor pinged. Being handed out for the
        // first time is not enough: a backend that fills its pool in the background (HikariCP keeps minimumIdle)
        // hands out connections it opened long before, possibly before the database restarted.
        boolean fresh = p.markHandedOut() && p.openedAtNanos() - checkoutStartNanos >= 0;
        if (invalidationPending && p.openedAtNanos() - invalidatedBeforeNanos < 0) {
            invalidate(c, null, false);
            return "opened before a pool-wide invalidation";
        }
        if (fresh) {
            return null;
        }
        if (recycleNanos > 0 && System.nanoTime() - p.openedAtNanos() > recycleNanos) {
            LOG.debug("[{}] recycling a connection older than {}", spec.poolName(), spec.poolRecycle());
            invalidate(c, null, false);
            return "older than poolRecycle";
        }
        if (prePing && !ping(c)) {
            LOG.warn("[{}] a pooled connection failed pre-ping; replacing every connection opened before now",
                    spec.poolName());
            invalidate(c, null, true);
            return "failed pre-ping";
        }
        return null;
    }

    private static boolean ping(Connection c) {
        try {
            return c.isValid(PING_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private PhysicalConnection physical(Connection c) {
        if (c instanceof PhysicalConnection) {
            return (PhysicalConnection) c;
        }
        try {
            return c.unwrap(PhysicalConnection.class);
        } catch (SQLException e) {
            LOG.warn("[{}] backend {} hands out connections that do not unwrap to the engine's; recycle and pre-ping"
                    + " cannot be applied", spec.poolName(), provider.name());
            return null;
        }
    }

    /**
     * Returns a connection: reset on return (when the borrower may have left a transaction open), the checkin event,
     * then the backend. A connection whose reset fails, or whose physical connection the borrower closed, is
     * invalidated instead. The backend gets the connection back whatever a listener throws; a listener's
     * {@link Error} is rethrown after that.
     */
    public void checkin(Connection c, boolean mayBeInTransaction) {
        if (physicallyClosed(c)) {
            // The borrower closed (or aborted) the physical connection itself, e.g. through jdbc().unwrap(...): it
            // must never be pooled, and its reset would fail with a "closed" error that is no disconnect.
            LOG.debug("[{}] a returned connection was closed by its borrower; discarding it", spec.poolName());
            invalidate(c, null, false);
            return;
        }
        if (mayBeInTransaction && (resetRollback || resetCommit)) {
            try {
                if (!c.getAutoCommit()) {
                    if (resetRollback) {
                        c.rollback();
                    } else {
                        c.commit();
                    }
                }
            } catch (SQLException e) {
                LOG.warn("[{}] reset on return ({}) failed; discarding the connection: {}", spec.poolName(),
                        spec.resetOnReturn(), secrets.scrub(Errors.describe(e)));
                invalidate(c, e, Errors.isDisconnect(e));
                return;
            }
        }
        try {
            listeners.checkin(c);
        } finally {
            try {
                backend().checkin(c);
            } catch (SQLException e) {
                LOG.warn("[{}] backend failed to take a connection back: {}", spec.poolName(),
                        secrets.scrub(Errors.describe(e)));
            }
        }
    }

    /** True when the physical connection under {@code c} is known to be closed (a local check, no round trip). */
    private static boolean physicallyClosed(Connection c) {
        try {
            PhysicalConnection p = c instanceof PhysicalConnection ? (PhysicalConnection) c
                    : c.unwrap(PhysicalConnection.class);
            return p.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false; // a backend whose connections do not unwrap (logged at checkout): reset finds out
        }
    }

    /**
     * Discards a borrowed connection. With {@code poolWide}, every connection opened before now is replaced at its
     * next checkout as well (SQLAlchemy's behaviour after a disconnect or a failed ping).
     */
    public void invalidate(Connection c, Throwable cause, boolean poolWide) {
        if (poolWide) {
            invalidatedBeforeNanos = System.nanoTime();
            invalidationPending = true;
        }
        try {
            listeners.invalidate(c, cause);
        } finally {
            PoolBackend b = backend;
            if (b != null) {
                b.invalidate(c);
            } else {
                closeQuietly(c);
            }
        }
    }

    /** Marks every connection open now as stale: each is replaced at its next checkout. */
    public void invalidateAll() {
        invalidatedBeforeNanos = System.nanoTime();
        invalidationPending = true;
    }

    public PoolStatus status() {
        PoolBackend b = backend;
        return b != null ? b.status() : PoolStatus.queue(spec.poolSize(), 0, 0);
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

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding a connection: there is nothing more to do if closing it fails too.
        }
    }
}
