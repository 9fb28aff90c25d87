package dev.athanor.internal.pool;

import dev.athanor.internal.jdbc.ConnectionHandle;
import dev.athanor.spi.support.SimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * An engine seen as a {@link javax.sql.DataSource} for libraries that take one: {@code getConnection()} is a checkout (with
 * the engine's recycle, pre-ping and events) and closing the connection is a checkin with reset on return. A
 * connection once closed is dead: every call on it fails with SQLState {@code 08003}, and its statements are closed.
 */
public final class EngineDataSource extends SimpleDataSource {
    private final ManagedPool pool;
    private final String description;

    public EngineDataSource(ManagedPool pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    @Override
    public Connection getConnection() {
        Connection lent = pool.checkout();
        // close() returns it with reset on return; after that the handle is dead (nothing reaches the connection).
        return new ConnectionHandle(lent, pool.name(), () -> pool.checkin(lent, true));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("[" + pool.name()
                + "] credentials come from the engine URL; use getConnection()");
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("[" + pool.name() + "] set connectTimeout on the engine instead");
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public String toString() {
        return "EngineDataSource[" + pool.name() + ": " + description + "]";
    }
}
