package dev.athanor.pool.hikari;

import dev.athanor.spi.support.DelegatingConnection;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One connection as HikariCP holds it: what the adapter's data source returns to HikariCP, kept in HikariCP's bag and
 * wrapped in its {@code ProxyConnection} at each borrow. Borrowers never use HikariCP's proxy: they get a
 * {@link Lease} over the engine's physical connection, so HikariCP never runs statements, rollbacks or resets on
 * their behalf.
 *
 * <p>The adapter, not HikariCP, decides whether a pooled connection may be handed out: {@link #IDLE} (in the bag and
 * counted idle), {@link #BUSY} (leased) or {@link #CLOSED}. A connection closed while HikariCP still lists it (by
 * {@code dispose()} or because it would exceed the idle cap) stays in HikariCP's bag as a dead entry until a borrow
 * reaches it and evicts it; it holds no database connection meanwhile.
 *
 * <p>A failed connect is also a pooled connection: one with no physical connection that carries the failure
 * ({@link #takeFailure()}). HikariCP hands it to a waiting borrower like any new connection, and that borrower throws
 * the failure: this is how a connect error reaches a checkout at once instead of after HikariCP's connection timeout.
 *
 * <p>HikariCP checks a connection idle for more than 500 ms with {@link #isValid(int)} before lending it. The engine
 * does pre-ping itself, so that check is answered here without a round trip.
 */
final class PooledConnection extends DelegatingConnection {
    static final int IDLE = 0;
    static final int BUSY = 1;
    static final int CLOSED = 2;

    private static final AtomicIntegerFieldUpdater<PooledConnection> STATE =
            AtomicIntegerFieldUpdater.newUpdater(PooledConnection.class, "state");

    /** The delegate of an entry without a database connection: every JDBC call fails. */
    private static final Connection NO_CONNECTION = (Connection) Proxy.newProxyInstance(
            PooledConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    case "toString":
                        return "no connection";
                    default:
                        throw new SQLException("no database connection behind this pool entry", "08003");
                }
            });

    private final HikariPoolBackend pool;
    private final Connection physical;
    private final Throwable failure;
    /** When the connect that made this entry began: a failure is news only to checkouts that began before it. */
    private final long connectStartedNanos;
    private volatile int state;
    private boolean failureTaken; // guarded by this

    private PooledConnection(HikariPoolBackend pool, Connection physical, Throwable failure, int state,
                             long connectStartedNanos) {
        super(physical != null ? physical : NO_CONNECTION);
        this.pool = pool;
        this.physical = physical;
        this.failure = failure;
        this.connectStartedNanos = connectStartedNanos;
        this.state = state;
    }

    /** A new connection, idle until a borrower claims it. */
    static PooledConnection opened(HikariPoolBackend pool, Connection physical, long connectStartedNanos) {
        return new PooledConnection(pool, physical, null, IDLE, connectStartedNanos);
    }

    /** A connect that failed with {@code failure}; never claimable. */
    static PooledConnection failed(HikariPoolBackend pool, Throwable failure, long connectStartedNanos) {
        return new PooledConnection(pool, null, failure, CLOSED, connectStartedNanos);
    }

    /**
     * A connection that was opened but not kept (its physical connection already closed): HikariCP lists it until a
     * borrow evicts it. Never claimable.
     */
    static PooledConnection discarded(HikariPoolBackend pool, long connectStartedNanos) {
        return new PooledConnection(pool, null, null, CLOSED, connectStartedNanos);
    }

    HikariPoolBackend owner() {
        return pool;
    }

    /** The engine's physical connection; {@code null} for a failed connect. */
    Connection physical() {
        return physical;
    }

    /**
     * Why the connect failed, for the one checkout that reports it: a failed entry goes back to HikariCP's bag to
     * wake a waiter, and must not fail that checkout too. {@code null} for a real connection, or once taken.
     */
    synchronized Throwable takeFailure() {
        Throwable f = failureTaken ? null : failure;
        failureTaken = true;
        return f;
    }

    long connectStartedNanos() {
        return connectStartedNanos;
    }

    int state() {
        return state;
    }

    /** IDLE to BUSY: the caller may lend it. */
    boolean claim() {
        return STATE.compareAndSet(this, IDLE, BUSY);
    }

    /** BUSY to IDLE: the caller is returning it to HikariCP's bag. */
    boolean release() {
        return STATE.compareAndSet(this, BUSY, IDLE);
    }

    /** IDLE to CLOSED: the caller must {@link #closePhysical()}. */
    boolean retireIdle() {
        return STATE.compareAndSet(this, IDLE, CLOSED);
    }

    /** BUSY to CLOSED: the caller must {@link #closePhysical()}. */
    boolean retireBusy() {
        return STATE.compareAndSet(this, BUSY, CLOSED);
    }

    /**
     * Closes the database connection; called exactly once, by whoever moved the state to {@link #CLOSED}. The
     * engine's {@code onClose} event fires on the calling thread.
     */
    void closePhysical() {
        if (physical == null) {
            return;
        }
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            pool.closeFailed(e);
        } finally {
            pool.physicalClosed(this);
        }
    }

    // ---- what HikariCP calls

    /** HikariCP's alive check: the engine pings (or not) by its own rules, so no round trip here. */
    @Override
    public boolean isValid(int timeoutSeconds) {
        return state != CLOSED;
    }

    @Override
    public boolean isClosed() {
        return state == CLOSED;
    }

    /** HikariCP closing the connection itself (shutdown, or a dead entry it found): counts are kept right. */
    @Override
    public void close() {
        int previous = STATE.getAndSet(this, CLOSED);
        if (previous == CLOSED) {
            return;
        }
        pool.closedByHikari(previous);
        closePhysical();
    }

    /** HikariCP aborts the connections still lent out when it shuts down. */
    @Override
    public void abort(Executor executor) {
        close();
    }

    /** Called when HikariCP takes a connection back; a failure here must not keep the connection from the pool. */
    @Override
    public void clearWarnings() {
        if (state == CLOSED || physical == null) {
            return;
        }
        try {
            physical.clearWarnings();
        } catch (SQLException e) {
            // A broken connection is found by the engine (pre-ping, or the next statement), not here.
        }
    }

    /*
     * HikariCP sets a new connection up through these (network timeout, read-only, auto-commit, isolation, catalog,
     * schema) and resets them on return when its proxy saw them change. The engine's source and the adapter have
     * already set the connection up, and borrowers never use HikariCP's proxy, so the calls are answered here without
     * reaching the driver: HikariCP's setup can then never fail or cost a round trip, and a failure to set a
     * connection up is reported by the adapter like a failed connect.
     */

    @Override
    public int getNetworkTimeout() {
        return 0;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) {
        // See above.
    }

    @Override
    public boolean isReadOnly() {
        return pool.defaultReadOnly();
    }

    @Override
    public void setReadOnly(boolean readOnly) {
        // See above.
    }

    @Override
    public boolean getAutoCommit() {
        return false;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) {
        // See above.
    }

    /** Only compared by HikariCP with its own default, taken from the same method: any constant does. */
    @Override
    public int getTransactionIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public void setTransactionIsolation(int level) {
        // See above.
    }

    @Override
    public void setCatalog(String catalog) {
        // See above.
    }

    @Override
    public void setSchema(String schema) {
        // See above.
    }

    @Override
    public String toString() {
        if (physical != null) {
            return "PooledConnection[" + physical + "]";
        }
        return failure != null ? "PooledConnection[connect failed]" : "PooledConnection[discarded]";
    }
}
