package dev.athanor.hibernate;

import dev.athanor.Engine;

import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;

/**
 * Connections from the bind's engine, for what Hibernate does outside sessions: reading the database's metadata when
 * the factory is built, and schema tools. Sessions never use it: each is given the Athanor session's connection.
 */
final class EngineConnectionProvider implements ConnectionProvider {
    private static final long serialVersionUID = 1L;

    private final transient Engine engine;

    EngineConnectionProvider(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return engine.dataSource().getConnection();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        connection.close();
    }

    @Override
    public boolean supportsAggressiveRelease() {
        return false;
    }

    @Override
    public boolean isUnwrappableAs(Class<?> type) {
        return type.isInstance(this) || type.isInstance(engine.dataSource());
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        if (type.isInstance(engine.dataSource())) {
            return type.cast(engine.dataSource());
        }
        throw new IllegalArgumentException("cannot unwrap " + getClass().getSimpleName() + " as " + type.getName());
    }

    @Override
    public String toString() {
        return "EngineConnectionProvider[" + engine.name() + "]";
    }
}
