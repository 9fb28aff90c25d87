package dev.athanor.internal.jdbc;

import dev.athanor.IsolationLevel;
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
    private boolean lentBefore;
    /** How long opening this connection took (the engine's connect, driver and setup). */
    private long connectNanos;
    /** Which session settings the current borrower changed, and their values before ({@link #restore()}). */
    private int changed;
    private boolean readOnlyBefore;
    /** Whether the read-only flag was last set on through this connection (the driver's default is off). */
    private boolean readOnlyRequested;
    /** Whether the current transaction was begun read-only by a statement ({@code SET TRANSACTION READ ONLY}). */
    private boolean readOnlyTransaction;
    private String catalogBefore;
    private String schemaBefore;
    private int networkTimeoutBefore;
    /** Auto-commit and isolation as the engine opened the connection and as it was last set; no round trip to ask. */
    private final Settings settings;

    /**
     * @param engineLevel the engine's isolation level, already applied to {@code delegate} ({@code null}: the
     *        driver's default, auto-commit off; {@link IsolationLevel#AUTOCOMMIT}: auto-commit on)
     */
    public PhysicalConnection(Connection delegate, long openedAtNanos, CloseListener closeListener,
                              IsolationLevel engineLevel) {
        super(delegate);
        this.openedAtNanos = openedAtNanos;
        this.closeListener = closeListener;
        this.settings = new Settings(engineLevel);
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
        readOnlyTransaction = false;
        if (changed != 0) {
            // What a native pool set up before the first borrow is the state to keep, not a change.
            changed = 0;
            settings.keepCurrentIsolation();
        }
    }

    /**
     * Notes when the current borrow started ({@link System#nanoTime()}, or 0 when nobody measures it) and what to run
     * when it ends ({@code watch}, or null); returns true for the connection's first borrow.
     */
    public boolean lentAt(long nanos, Runnable watch) {
        lentAtNanos = nanos;
        lendWatch = watch;
        boolean first = !lentBefore;
        lentBefore = true;
        return first;
    }

    /** Notes how long opening this connection took. */
    public void connectNanos(long nanos) {
        connectNanos = nanos;
    }

    /** {@link System#nanoTime()} when the connect that opened this connection began. */
    public long connectStartNanos() {
        return openedAtNanos - connectNanos;
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
     * Puts back what the borrower changed: auto-commit and the isolation level as the engine opened the connection
     * (auto-commit off, or on for an {@link IsolationLevel#AUTOCOMMIT} engine), and the read-only flag, catalog,
     * schema and network timeout as they were before its first change. No round trip when nothing changed.
     */
    public void restore() throws SQLException {
        int c = changed;
        if (c == 0) {
            return;
        }
        changed = 0;
        if ((c & AUTO_COMMIT) != 0) {
            restoreAutoCommit();
        }
        if ((c & ISOLATION) != 0) {
            delegate.setTransactionIsolation(settings.baseIsolation);
            settings.isolation = settings.baseIsolation;
        }
        if ((c & READ_ONLY) != 0) {
            delegate.setReadOnly(readOnlyBefore);
            readOnlyRequested = readOnlyBefore;
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

    /** Puts auto-commit back to the engine's state if a borrower changed it (a local check on common drivers). */
    public void restoreAutoCommit() throws SQLException {
        if (delegate.getAutoCommit() != settings.engineAutoCommit) {
            setAutoCommit(settings.engineAutoCommit);
        }
    }

    /**
     * Auto-commit as the engine opened the connection and as it was last set through it, without asking the driver:
     * true under {@link IsolationLevel#AUTOCOMMIT}, when {@code commit()} and {@code rollback()} have nothing to end.
     */
    public boolean autoCommit() {
        return settings.autoCommit;
    }

    /**
     * Applies {@code level} for the rest of the borrow ({@link #restore()} puts the engine's settings back):
     * {@link IsolationLevel#AUTOCOMMIT} turns auto-commit on and leaves the isolation level alone; a JDBC level turns
     * auto-commit off and sets the level; {@code null} goes back to the engine's settings. Sends nothing for what is
     * already so: the levels are tracked here, so it does not ask the driver (pgjdbc and MariaDB answer
     * {@code getTransactionIsolation()} with a query), except once per connection when the engine set no level.
     */
    public void isolationLevel(IsolationLevel level) throws SQLException {
        boolean autoCommit = level == null ? settings.engineAutoCommit : level.isAutocommit();
        if (settings.autoCommit != autoCommit) {
            setAutoCommit(autoCommit);
        }
        if (level == null) {
            if ((changed & ISOLATION) != 0) {
                setTransactionIsolation(settings.baseIsolation);
            }
        } else if (!level.isAutocommit() && settings.isolation(delegate) != level.jdbcLevel()) {
            setTransactionIsolation(level.jdbcLevel());
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        settings.autoCommit = autoCommit;
        changed = autoCommit != settings.engineAutoCommit ? changed | AUTO_COMMIT : changed & ~AUTO_COMMIT;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        settings.isolation(delegate); // the level to put back, known without a query after the first time
        delegate.setTransactionIsolation(level);
        settings.isolation = level;
        changed = level != settings.baseIsolation ? changed | ISOLATION : changed & ~ISOLATION;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        if ((changed & READ_ONLY) == 0) {
            readOnlyBefore = delegate.isReadOnly();
        }
        delegate.setReadOnly(readOnly);
        readOnlyRequested = readOnly;
        changed = readOnly != readOnlyBefore ? changed | READ_ONLY : changed & ~READ_ONLY;
    }

    /**
     * True when the connection was made read-only through it ({@code setReadOnly(true)}, a read-only transaction):
     * then a write the server refuses as read-only is the borrower's mistake, not a sign of failover.
     */
    public boolean readOnlyRequested() {
        return readOnlyRequested || readOnlyTransaction;
    }

    /**
     * Notes whether the current transaction was made read-only by a statement of its own ({@code SET TRANSACTION
     * READ ONLY}, {@code START TRANSACTION READ ONLY}) rather than by {@link #setReadOnly}; it counts for
     * {@link #readOnlyRequested()} until the transaction ends ({@link #commit()}, {@link #rollback()}).
     */
    public void readOnlyTransaction(boolean readOnly) {
        readOnlyTransaction = readOnly;
    }

    @Override
    public void commit() throws SQLException {
        try {
            super.commit();
        } finally {
            readOnlyTransaction = false;
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            super.rollback();
        } finally {
            readOnlyTransaction = false;
        }
    }

    /**
     * The session's isolation level as tracked, without a round trip: the engine's, or the last one set through this
     * connection; {@code null} when not known yet (the engine set none and nobody asked the driver).
     */
    public IsolationLevel trackedIsolation() {
        return settings.isolation == Settings.UNKNOWN ? null : IsolationLevel.fromJdbc(settings.isolation);
    }

    /**
     * The session's isolation level, asking the driver the first time only when the engine set none (then known for
     * the connection's life: every change goes through here). Not for pgjdbc inside a transaction to come: its query
     * would begin the transaction.
     */
    public IsolationLevel sessionIsolation() throws SQLException {
        return IsolationLevel.fromJdbc(settings.isolation(delegate));
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

    /**
     * Auto-commit and isolation level, tracked so that neither costs a query to know. The isolation level the engine
     * set is known from the start; when it set none, it is read once, the first time it is needed, and kept: every
     * change goes through this connection, and every return puts it back.
     */
    private static final class Settings {
        private static final int UNKNOWN = Integer.MIN_VALUE;

        final boolean engineAutoCommit;
        boolean autoCommit;
        /** The level now, and the one {@link #restore()} puts back; {@link #UNKNOWN} until first read. */
        int isolation;
        int baseIsolation;

        Settings(IsolationLevel engineLevel) {
            engineAutoCommit = engineLevel != null && engineLevel.isAutocommit();
            autoCommit = engineAutoCommit;
            isolation = engineLevel == null || engineLevel.isAutocommit() ? UNKNOWN : engineLevel.jdbcLevel();
            baseIsolation = isolation;
        }

        /** The level now, read from the driver the first time only. */
        int isolation(Connection delegate) throws SQLException {
            if (isolation == UNKNOWN) {
                isolation = delegate.getTransactionIsolation();
            }
            if (baseIsolation == UNKNOWN) {
                baseIsolation = isolation;
            }
            return isolation;
        }

        void keepCurrentIsolation() {
            baseIsolation = isolation;
        }
    }
}
