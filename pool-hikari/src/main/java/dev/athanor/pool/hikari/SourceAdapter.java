package dev.athanor.pool.hikari;

import dev.athanor.spi.ConnectionSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source HikariCP opens connections from (on its connection-adder thread): the engine's
 * {@link ConnectionSource}, then the HikariCP settings that apply to each new connection ({@code readOnly},
 * {@code catalog}, {@code schema}, {@code connectionInitSql}), applied here rather than by HikariCP so that their
 * failure is a connect failure. It never throws: a failed connect is returned as a
 * {@linkplain PooledConnection#failed failed} pooled connection, so that HikariCP hands the failure to the waiting
 * borrower at once, instead of retrying quietly and reporting a timeout when {@code poolTimeout} runs out.
 */
final class SourceAdapter implements DataSource {
    private final HikariPoolBackend pool;
    private final ConnectionSource source;
    private final boolean readOnly;
    private final String catalog;
    private final String schema;
    private final String initSql;

    SourceAdapter(HikariPoolBackend pool, ConnectionSource source, boolean readOnly, String catalog, String schema,
                  String initSql) {
        this.pool = pool;
        this.source = source;
        this.readOnly = readOnly;
        this.catalog = catalog;
        this.schema = schema;
        this.initSql = initSql;
    }

    @Override
    public Connection getConnection() {
        pool.connectStarted();
        long started = System.nanoTime();
        try {
            Connection physical;
            try {
                physical = source.connect();
            } catch (SQLException | RuntimeException e) {
                return pool.connectFailed(e, started);
            }
            try {
                setUp(physical);
            } catch (SQLException | RuntimeException e) {
                closeAfterFailure(physical, e);
                return pool.connectFailed(e, started);
            }
            return pool.connected(physical, started);
        } finally {
            pool.connectEnded();
        }
    }

    /**
     * Applies the per-connection settings; {@code connectionInitSql} is committed, so that a rollback on return
     * cannot undo a {@code SET}.
     */
    private void setUp(Connection physical) throws SQLException {
        if (readOnly) {
            physical.setReadOnly(true);
        }
        if (catalog != null) {
            physical.setCatalog(catalog);
        }
        if (schema != null) {
            physical.setSchema(schema);
        }
        if (initSql != null) {
            try (Statement statement = physical.createStatement()) {
                statement.execute(initSql);
            }
            physical.commit();
        }
    }

    private static void closeAfterFailure(Connection physical, Throwable failure) {
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("[" + source.poolName()
                + "] credentials come from the engine URL; use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Athanor logs through SLF4J.
    }

    /** HikariCP derives a login timeout from its connection timeout; the engine's {@code connectTimeout} rules. */
    @Override
    public void setLoginTimeout(int seconds) {
        // Ignored, see above.
    }

    /**
     * How long HikariCP's shutdown waits for a connect under way: one second. A connect that completes later is
     * closed by the adapter.
     */
    @Override
    public int getLoginTimeout() {
        return 1;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Athanor logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return source.asDataSource().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || source.asDataSource().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "HikariSourceAdapter[" + source.poolName() + ": " + source.describe() + "]";
    }
}
