package dev.athanor.pool.hikari;

import dev.athanor.spi.support.DelegatingConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a borrower gets: the engine's physical connection (statements go straight to it, one hop), plus HikariCP's
 * proxy for this borrow, which is only closed (returned) or evicted, never used. It remembers which session settings
 * the borrower changed (auto-commit, isolation, read-only, catalog, schema, network timeout), as HikariCP's proxy
 * would, so that {@link #restore()} puts back only those, without a round trip when nothing changed. What it needs
 * for that lives in a {@link Changes} made at the first such change, so a borrow that changes nothing allocates only
 * the lease's few fields. Used by one thread at a time, like any borrowed connection.
 */
final class Lease extends DelegatingConnection {
    private final PooledConnection pooled;
    private final Connection proxy;

    private boolean ended;
    private boolean closedByBorrower;
    /** The session settings the borrower changed; null until it changes one. */
    private Changes changes;

    Lease(PooledConnection pooled, Connection proxy) {
        super(pooled.physical());
        this.pooled = pooled;
        this.proxy = proxy;
    }

    HikariPoolBackend owner() {
        return pooled.owner();
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

    /**
     * True when the borrower closed this connection itself, having unwrapped the engine's handle to reach it
     * ({@code jdbc().close()} no longer gets here: the engine's handle invalidates the connection instead).
     */
    boolean closedByBorrower() {
        return closedByBorrower;
    }

    /**
     * Puts back the session settings the borrower changed: auto-commit off, the pool's isolation level and read-only
     * state, and the catalog, schema and network timeout the connection had when lent.
     */
    void restore() throws SQLException {
        Changes c = changes;
        if (c == null) {
            return;
        }
        HikariPoolBackend owner = pooled.owner();
        if ((c.dirty & Changes.AUTO_COMMIT) != 0 && c.autoCommit) {
            delegate.setAutoCommit(false);
        }
        if ((c.dirty & Changes.ISOLATION) != 0 && c.isolation != owner.defaultIsolation()) {
            delegate.setTransactionIsolation(owner.defaultIsolation());
        }
        if ((c.dirty & Changes.READ_ONLY) != 0 && c.readOnly != owner.defaultReadOnly()) {
            delegate.setReadOnly(owner.defaultReadOnly());
        }
        if ((c.dirty & Changes.CATALOG) != 0 && c.originalCatalog != null
                && !c.originalCatalog.equals(c.catalog)) {
            delegate.setCatalog(c.originalCatalog);
        }
        if ((c.dirty & Changes.SCHEMA) != 0 && c.originalSchema != null && !c.originalSchema.equals(c.schema)) {
            delegate.setSchema(c.originalSchema);
        }
        if ((c.dirty & Changes.NETWORK_TIMEOUT) != 0 && c.networkTimeout != c.originalNetworkTimeout) {
            delegate.setNetworkTimeout(c.networkTimeoutExecutor, c.originalNetworkTimeout);
        }
        changes = null;
    }

    private Changes changes() {
        Changes c = changes;
        if (c == null) {
            c = new Changes();
            changes = c;
        }
        return c;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        Changes c = changes();
        c.autoCommit = autoCommit;
        c.dirty |= Changes.AUTO_COMMIT;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        Changes c = changes();
        if ((c.dirty & Changes.ISOLATION) == 0) {
            // Learn the pool's level (when the engine sets none) before the borrower changes it.
            pooled.owner().learnDefaultIsolation(delegate);
        }
        delegate.setTransactionIsolation(level);
        c.isolation = level;
        c.dirty |= Changes.ISOLATION;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
        Changes c = changes();
        c.readOnly = readOnly;
        c.dirty |= Changes.READ_ONLY;
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        Changes c = changes();
        if ((c.dirty & Changes.CATALOG) == 0) {
            c.originalCatalog = delegate.getCatalog();
        }
        delegate.setCatalog(catalog);
        c.catalog = catalog;
        c.dirty |= Changes.CATALOG;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        Changes c = changes();
        if ((c.dirty & Changes.SCHEMA) == 0) {
            c.originalSchema = delegate.getSchema();
        }
        delegate.setSchema(schema);
        c.schema = delegate.getSchema();
        c.dirty |= Changes.SCHEMA;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        Changes c = changes();
        if ((c.dirty & Changes.NETWORK_TIMEOUT) == 0) {
            c.originalNetworkTimeout = delegate.getNetworkTimeout();
        }
        delegate.setNetworkTimeout(executor, milliseconds);
        c.networkTimeout = milliseconds;
        c.networkTimeoutExecutor = executor;
        c.dirty |= Changes.NETWORK_TIMEOUT;
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

    /** The session settings a borrower changed, and what to put back. */
    private static final class Changes {
        static final int AUTO_COMMIT = 1;
        static final int ISOLATION = 2;
        static final int READ_ONLY = 4;
        static final int CATALOG = 8;
        static final int SCHEMA = 16;
        static final int NETWORK_TIMEOUT = 32;

        int dirty;
        boolean autoCommit;
        int isolation;
        boolean readOnly;
        String catalog;
        String originalCatalog;
        String schema;
        String originalSchema;
        int networkTimeout;
        int originalNetworkTimeout;
        Executor networkTimeoutExecutor;
    }
}
