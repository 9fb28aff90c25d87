package dev.athanor.internal.jdbc;

import dev.athanor.spi.support.DelegatingConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A physical connection as the engine opened it, whatever backend holds it: the connection borrowers use. It
 * remembers when it was opened (for recycle and pool-wide invalidation), whether it has been handed out yet (a
 * connection just opened is not pre-pinged), the backend's object for the current borrow, whether the engine counts
 * it idle, and which session settings a borrower changed (put back on return); and it reports its physical close,
 * so the engine fires {@code onClose} and keeps its counts the same way for every backend.
 *
 * <p>One borrower at a time (the backend's hand-off orders the accesses), so plain fields suffice for the borrow's
 * state; the idle mark is atomic because a backend may close an idle connection on a thread of its own.
 */
public final class PhysicalConnection extends DelegatingConnection {
    private static final AtomicIntegerFieldUpdater<PhysicalConnection> IDLE =
            AtomicIntegerFieldUpdater.newUpdater(PhysicalConnection.class, "idle");
    private static final int AUTO_COMMIT = 1;
    private static final int ISOLATION = 2;
    private static final int READ_ONLY = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;

    /** Told once when the physical connection closes. */
    public interface CloseListener {
        void closed(PhysicalConnection connection);
    }

    private final long openedAtNanos;
    private final CloseListener closeListener;
    private volatile boolean handedOut;
    private volatile boolean closed;
    /** 1 while the engine counts this connection idle. */
    private volatile int idle;
    /** The backend's object for the current borrow; given back to the backend at its end. */
    private Connection lease;
    private boolean lent;
    /** When the current borrow started (measured only when someone needs it), and its held-too-long watch. */
    private long lentAtNanos;
    private Runnable lendWatch;
    /** Which session settings the current borrower changed, and their values before ({@link #restore()}). */
    private int changed;
    private int isolationBefore;
    private boolean readOnlyBefore;
    private String catalogBefore;
    private String schemaBefore;
    private int networkTimeoutBefore;

    public PhysicalConnection(Connection delegate, long openedAtNanos, CloseListener closeListener) {
        super(delegate);
        this.openedAtNanos = openedAtNanos;
        this.closeListener = closeListener;
    }

    /** {@link System#nanoTime()} when the connection was opened. */
    public long openedAtNanos() {
        return openedAtNanos;
    }

    /**
     * Marks the connection as handed out; returns true the first time only, when it is fresh from the database.
     * Pools hand a connection to one borrower at a time, so a plain volatile is enough.
     */
    public boolean markHandedOut() {
        if (handedOut) {
            return false;
        }
        handedOut = true;
        return true;
    }

    /** Starts a borrow: {@code backendObject} is what the backend handed out, given back to it at the end. */
    public void lend(Connection backendObject) {
        lease = backendObject;
        lent = true;
        changed = 0; // what a native pool set up before the first borrow is the state to keep, not a change
    }

    /**
     * Notes when the current borrow started ({@link System#nanoTime()}, or 0 when nobody measures it) and what to run
     * when it ends ({@code watch}, or null).
     */
    public void lentAt(long nanos, Runnable watch) {
        lentAtNanos = nanos;
        lendWatch = watch;
    }

    /** When the current borrow started, 0 when it was not measured. */
    public long lentAtNanos() {
        return lentAtNanos;
    }

    /** Takes the current borrow's watch (null when none); it is run by whoever ends the borrow. */
    public Runnable takeLendWatch() {
        Runnable w = lendWatch;
        lendWatch = null;
        return w;
    }

    /** Ends the borrow and returns the backend's object; null when it had ended already (a second return). */
    public Connection endLease() {
        if (!lent) {
            return null;
        }
        lent = false;
        return lease;
    }

    /** Marks the connection counted idle by the engine (just before the backend keeps it). */
    public void markIdle() {
        idle = 1;
    }

    /** Clears the idle mark; true when it was set (the engine then uncounts it, exactly once). */
    public boolean leaveIdle() {
        return idle == 1 && IDLE.compareAndSet(this, 1, 0);
    }

    /** True when a borrower changed a session setting that {@link #restore} puts back. */
    public boolean changed() {
        return changed != 0;
    }

    /**
     * Puts back what the borrower changed: auto-commit off (the engine's state), and the isolation level, read-only
     * flag, catalog, schema and network timeout as they were before its first change. No round trip when nothing
     * changed.
     */
    public void restore() throws SQLException {
        int c = changed;
        if (c == 0) {
            return;
        }
        changed = 0;
        if ((c & AUTO_COMMIT) != 0 && delegate.getAutoCommit()) {
            delegate.setAutoCommit(false);
        }
        if ((c & ISOLATION) != 0) {
            delegate.setTransactionIsolation(isolationBefore);
        }
        if ((c & READ_ONLY) != 0) {
            delegate.setReadOnly(readOnlyBefore);
        }
        if ((c & CATALOG) != 0) {
            delegate.setCatalog(catalogBefore);
        }
        if ((c & SCHEMA) != 0) {
            delegate.setSchema(schemaBefore);
        }
        if ((c & NETWORK_TIMEOUT) != 0) {
            delegate.setNetworkTimeout(Runnable::run, networkTimeoutBefore);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        changed = autoCommit ? changed | AUTO_COMMIT : changed & ~AUTO_COMMIT; // off is the engine's state
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if ((changed & ISOLATION) == 0) {
            isolationBefore = delegate.getTransactionIsolation();
        }
        delegate.setTransactionIsolation(level);
        changed = level != isolationBefore ? changed | ISOLATION : changed & ~ISOLATION;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        if ((changed & READ_ONLY) == 0) {
            readOnlyBefore = delegate.isReadOnly();
        }
        delegate.setReadOnly(readOnly);
        changed = readOnly != readOnlyBefore ? changed | READ_ONLY : changed & ~READ_ONLY;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        if ((changed & CATALOG) == 0) {
            catalogBefore = delegate.getCatalog();
        }
        delegate.setCatalog(catalog);
        changed = !Objects.equals(catalog, catalogBefore) ? changed | CATALOG : changed & ~CATALOG;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if ((changed & SCHEMA) == 0) {
            schemaBefore = delegate.getSchema();
        }
        delegate.setSchema(schema);
        changed = !Objects.equals(schema, schemaBefore) ? changed | SCHEMA : changed & ~SCHEMA;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        if ((changed & NETWORK_TIMEOUT) == 0) {
            networkTimeoutBefore = delegate.getNetworkTimeout();
        }
        delegate.setNetworkTimeout(executor, milliseconds);
        changed = milliseconds != networkTimeoutBefore ? changed | NETWORK_TIMEOUT : changed & ~NETWORK_TIMEOUT;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            delegate.close();
        } finally {
            closeListener.closed(this);
        }
    }

    /** True once {@link #close()} was called: a local check, no round trip. */
    public boolean closedLocally() {
        return closed;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }
}
