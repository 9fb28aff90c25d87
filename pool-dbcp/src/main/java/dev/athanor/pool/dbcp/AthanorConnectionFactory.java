package dev.athanor.pool.dbcp;

import dev.athanor.spi.ConnectionSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.DestroyMode;
import org.apache.commons.pool2.PooledObject;

/**
 * DBCP's {@link PoolableConnectionFactory} over the engine's {@link ConnectionSource}: each {@link PoolableConnection}
 * wraps the engine's connection directly, so it unwraps to it. The engine resets connections and puts session
 * settings back itself, so DBCP's rollback and auto-commit switch on return are off. What it changes:
 *
 * <ul>
 *   <li>A connection the backend is {@linkplain #discarding discarding} fails passivation: pool2 then destroys it
 *       and opens no replacement, since no thread ever waits inside pool2. {@code GenericObjectPool.invalidateObject}
 *       is not used: since pool2 2.13.0 it calls {@code addObject()} (POOL-424), which opens a replacement on the
 *       discarding thread.</li>
 *   <li>Idle validation ({@code testWhileIdle}) does not go through {@code PoolableConnection.isClosed()}: for a
 *       delegate the driver reports closed, that calls {@code invalidateObject} (the replacement above). The
 *       connection just fails validation and pool2 destroys it. A {@code validationQuery} is rolled back, so an idle
 *       connection (auto-commit off) is never left inside a transaction.</li>
 *   <li>Init SQL ({@code connectionInitSqls}) is committed: the first reset on return would roll it back.</li>
 * </ul>
 */
final class AthanorConnectionFactory extends PoolableConnectionFactory {
    /** Thrown by {@link #passivateObject} for a discarded connection; an expected signal, not an error. */
    static final SQLException DISCARDED = new SQLException("connection discarded by the engine");

    /** The engine's connections opened and not destroyed yet, borrowed ones included (the backend's set). */
    private final Set<Connection> open;
    /** Connections being given back to pool2 to be destroyed (identity: DBCP's wrappers do not override equals). */
    final Set<PoolableConnection> discarding = ConcurrentHashMap.newKeySet();

    AthanorConnectionFactory(ConnectionSource source, Set<Connection> open) {
        super(() -> {
            Connection c = source.connect();
            open.add(c);
            return c;
        }, null);
        this.open = open;
        setRollbackOnReturn(false);
        setAutoCommitOnReturn(false);
    }

    @Override
    public void passivateObject(PooledObject<PoolableConnection> p) throws SQLException {
        if (discarding.contains(p.getObject())) {
            throw DISCARDED;
        }
        super.passivateObject(p);
    }

    @Override
    public void destroyObject(PooledObject<PoolableConnection> p, DestroyMode mode) throws SQLException {
        Connection engineConnection = p.getObject().getDelegate();
        try {
            super.destroyObject(p, mode);
        } finally {
            // DBCP skips close() when the driver reports the connection closed already; the engine's connection
            // must still see its close (its event, the engine's idle count). A second close is a no-op.
            open.remove(engineConnection);
            engineConnection.close();
        }
    }

    @Override
    protected void initializeConnection(Connection connection) throws SQLException {
        super.initializeConnection(connection);
        Collection<String> initSqls = getConnectionInitSqls();
        if (initSqls != null && !initSqls.isEmpty()) {
            connection.commit();
        }
    }

    @Override
    public boolean validateObject(PooledObject<PoolableConnection> p) {
        PoolableConnection pooled = p.getObject();
        try {
            if (pooled.getDelegate().isClosed()) {
                return false;
            }
            String query = getValidationQuery();
            pooled.validate(query, getValidationQueryTimeoutDuration());
            if (query != null && !query.isEmpty()) {
                pooled.getDelegate().rollback();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
