package dev.athanor.pool.hikari;

import dev.athanor.internal.jdbc.DelegatingConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a borrower gets: the engine's physical connection (statements go straight to it, one hop), plus HikariCP's
 * proxy for this borrow, which is only closed (returned) or evicted, never used. It remembers which session settings
 * the borrower changed (auto-commit, isolation, read-only, catalog, schema, network timeout), as HikariCP's proxy
 * would, so that {@link #restore()} puts back only those, without a round trip when nothing changed. Used by one
 * thread at a time, like any borrowed connection.
 */
final class Lease extends DelegatingConnection {
    private static final int AUTO_COMMIT = 1;
    private static final int ISOLATION = 2;
    private static final int READ_ONLY = 4;
    private static final int CATALOG = 8;
    private static final int SCHEMA = 16;
    private static final int NETWORK_TIMEOUT = 32;

    private final HikariPoolBackend owner;
    private final PooledConnection pooled;
    private final Connection proxy;

    private int dirty;
    private boolean ended;
    private boolean closedByBorrower;
    private boolean autoCommit;
    private int isolation;
    private boolean readOnly;
    private String catalog;
    private String originalCatalog;
    private String schema;
    private String originalSchema;
    private int networkTimeout;
    private int originalNetworkTimeout;
    private Executor networkTimeoutExecutor;

    Lease(HikariPoolBackend owner, PooledConnection pooled, Connection proxy) {
        super(pooled.physical());
        this.owner = owner;
        this.pooled = pooled;
        this.proxy = proxy;
    }

    HikariPoolBackend owner() {
        return owner;
    }

    PooledConnection pooled() {
        return pooled;
    }

    /** HikariCP's proxy for this borrow. */
    Connection proxy() {
        return proxy;
    }

    /** Marks the lease as returned; false when it already was (a second checkin or invalidate is ignored). */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /** True when the borrower closed the physical connection itself ({@code jdbc().close()}). */
    boolean closedByBorrower() {
        return closedByBorrower;
    }

    /**
     * Puts back the session settings the borrower changed: auto-commit off, the pool's isolation level and read-only
     * state, and the catalog, schema and network timeout the connection had when lent.
     */
    void restore() throws SQLException {
        if (dirty == 0) {
            return;
        }
        if ((dirty & AUTO_COMMIT) != 0 && autoCommit) {
            delegate.setAutoCommit(false);
        }
        if ((dirty & ISOLATION) != 0 && isolation != owner.defaultIsolation()) {
            delegate.setTransactionIsolation(owner.defaultIsolation());
        }
        if ((dirty & READ_ONLY) != 0 && readOnly != owner.defaultReadOnly()) {
            delegate.setReadOnly(owner.defaultReadOnly());
        }
        if ((dirty & CATALOG) != 0 && originalCatalog != null && !originalCatalog.equals(catalog)) {
            delegate.setCatalog(originalCatalog);
        }
        if ((dirty & SCHEMA) != 0 && originalSchema != null && !originalSchema.equals(schema)) {
            delegate.setSchema(originalSchema);
        }
        if ((dirty & NETWORK_TIMEOUT) != 0 && networkTimeout != originalNetworkTimeout) {
            delegate.setNetworkTimeout(networkTimeoutExecutor, originalNetworkTimeout);
        }
        dirty = 0;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        this.autoCommit = autoCommit;
        dirty |= AUTO_COMMIT;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if ((dirty & ISOLATION) == 0) {
            // Learn the pool's level (when the engine sets none) before the borrower changes it.
            owner.learnDefaultIsolation(delegate);
        }
        delegate.setTransactionIsolation(level);
        this.isolation = level;
        dirty |= ISOLATION;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
        this.readOnly = readOnly;
        dirty |= READ_ONLY;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        if ((dirty & CATALOG) == 0) {
            originalCatalog = delegate.getCatalog();
        }
        delegate.setCatalog(catalog);
        this.catalog = catalog;
        dirty |= CATALOG;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        if ((dirty & SCHEMA) == 0) {
            originalSchema = delegate.getSchema();
        }
        delegate.setSchema(schema);
        this.schema = delegate.getSchema();
        dirty |= SCHEMA;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        if ((dirty & NETWORK_TIMEOUT) == 0) {
            originalNetworkTimeout = delegate.getNetworkTimeout();
        }
        delegate.setNetworkTimeout(executor, milliseconds);
        this.networkTimeout = milliseconds;
        this.networkTimeoutExecutor = executor;
        dirty |= NETWORK_TIMEOUT;
    }

    /**
     * Closes the physical connection, as {@code close()} does on the connection of any other pool; the engine then
     * discards it when the borrower's {@code Connection} is closed. Borrowers should close the engine's
     * {@code Connection} instead.
     */
    @Override
    public void close() throws SQLException {
        closedByBorrower = true;
        delegate.close();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        closedByBorrower = true;
        delegate.abort(executor);
    }

    @Override
    public boolean isClosed() throws SQLException {
        return ended || closedByBorrower || delegate.isClosed();
    }

    @Override
    public String toString() {
        return "HikariLease[" + Objects.toString(delegate) + "]";
    }
}
