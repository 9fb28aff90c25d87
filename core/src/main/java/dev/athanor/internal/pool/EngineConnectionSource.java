package dev.athanor.internal.pool;

import dev.athanor.Dialect;
import dev.athanor.IsolationLevel;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.support.SimpleDataSource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Opens physical connections for a backend: the driver found once at build time, the URL's and the engine's driver
 * properties, auto-commit off and the engine's isolation level (or auto-commit on, for an
 * {@link IsolationLevel#AUTOCOMMIT} engine: set once here, so returns have nothing to reset). Every connection is wrapped in a
 * {@link PhysicalConnection} so that open and close events and connection age are seen the same way whatever pool
 * holds it.
 */
public final class EngineConnectionSource implements ConnectionSource {
    private final String poolName;
    private final Dialect dialect;
    private final String jdbcUrl;
    private final String description;
    private final Driver driver;
    private final Properties properties;
    private final IsolationLevel isolationLevel;
    private final Listeners listeners;
    private final PhysicalConnection.CloseListener onClose;
    private volatile PhysicalConnection.CloseListener poolOnClose = p -> { };
    private volatile UnaryOperator<Connection> wrapper = UnaryOperator.identity();
    private final DataSource dataSource = new SourceDataSource();

    public EngineConnectionSource(String poolName, Dialect dialect, String jdbcUrl, String description, Driver driver,
                                  Properties properties, IsolationLevel isolationLevel, Listeners listeners) {
        this.poolName = poolName;
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.description = description;
        this.driver = driver;
        this.properties = properties;
        this.isolationLevel = isolationLevel;
        this.listeners = listeners;
        this.onClose = p -> {
            try {
                poolOnClose.closed(p);
            } finally {
                listeners.close(p);
            }
        };
    }

    /** The engine's {@code connectionWrapper}: applied to each new driver connection once its settings are made. */
    public void wrapWith(UnaryOperator<Connection> wrapper) {
        this.wrapper = wrapper;
    }

    /** What the engine's pool does when a physical connection closes, before the {@code onClose} event. */
    void onPhysicalClose(PhysicalConnection.CloseListener listener) {
        this.poolOnClose = listener;
    }

    @Override
    public Connection connect() throws SQLException {
        long startNanos = System.nanoTime();
        Connection raw = driver.connect(jdbcUrl, properties);
        if (raw == null) {
            throw new SQLException("[" + poolName + "] the JDBC driver " + driver.getClass().getName()
                    + " does not accept " + description, "08001");
        }
        try {
            boolean autoCommit = isolationLevel != null && isolationLevel.isAutocommit();
            if (raw.getAutoCommit() != autoCommit) {
                raw.setAutoCommit(autoCommit); // once per connection; an AUTOCOMMIT engine keeps the driver's default
            }
            if (isolationLevel != null && !autoCommit) {
                raw.setTransactionIsolation(isolationLevel.jdbcLevel());
            }
            Connection wrapped = wrapper.apply(raw);
            if (wrapped == null) {
                throw new SQLException("[" + poolName + "] the engine's connectionWrapper returned null");
            }
            raw = wrapped;
        } catch (SQLException | RuntimeException e) {
            try {
                raw.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        long openedNanos = System.nanoTime();
        PhysicalConnection connection = new PhysicalConnection(raw, openedNanos, onClose, isolationLevel);
        connection.connectNanos(openedNanos - startNanos);
        try {
            listeners.connect(connection, openedNanos - startNanos);
        } catch (Error listenerError) {
            // No pool holds the connection yet: close it, or it stays open on the server for good.
            try {
                connection.close();
            } catch (SQLException | RuntimeException | Error suppressed) {
                listenerError.addSuppressed(suppressed);
            }
            throw listenerError;
        }
        return connection;
    }

    @Override
    public DataSource asDataSource() {
        return dataSource;
    }

    @Override
    public String poolName() {
        return poolName;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "ConnectionSource[" + poolName + ": " + description + "]";
    }

    /** The source seen as a {@link DataSource}; credentials come from the engine, so the user/password form is refused. */
    private final class SourceDataSource extends SimpleDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return connect();
        }

        @Override
        public String toString() {
            return "DataSource[" + poolName + ": " + description + "]";
        }
    }
}
