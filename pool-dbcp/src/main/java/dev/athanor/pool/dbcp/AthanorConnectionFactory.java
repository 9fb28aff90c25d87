package dev.athanor.pool.dbcp;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import org.apache.commons.dbcp2.ConnectionFactory;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.DestroyMode;
import org.apache.commons.pool2.PooledObject;

/**
 * DBCP's {@link PoolableConnectionFactory} with the engine's rules for what a returned connection must look like.
 *
 * <ul>
 *   <li>No rollback or auto-commit switch on return ({@code rollbackOnReturn} and {@code autoCommitOnReturn} are
 *       off): the engine has reset the connection already, and Athanor hands connections out with auto-commit off.
 *       What a borrower changed is put back instead: auto-commit off, and the isolation level (see
 *       {@link TrackedConnection}).</li>
 *   <li>A connection the backend {@linkplain TrackedConnection#discard() discarded} fails passivation, which makes
 *       commons-pool2 destroy it and free its slot without opening a replacement. This is how the backend
 *       invalidates: {@code GenericObjectPool.invalidateObject} opens a replacement at once (POOL-424, since
 *       pool2 2.13.0), which would break the lazy-growth rule and could block the invalidating thread on a
 *       connect.</li>
 *   <li>Init SQL ({@code connectionInitSqls}) is committed, because connections are opened with auto-commit off and
 *       the first reset on return would otherwise roll the settings back.</li>
 *   <li>A {@code validationQuery} run by the idle-connection evictor is rolled back, so that an idle connection is
 *       never left inside a transaction.</li>
 * </ul>
 */
final class AthanorConnectionFactory extends PoolableConnectionFactory {
    /** Thrown by {@link #passivateObject} for a discarded connection; an expected signal, not an error. */
    static final SQLException DISCARDED = new SQLException("connection discarded by the backend", null, 0, null) {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    AthanorConnectionFactory(ConnectionFactory connectionFactory) {
        super(connectionFactory, null);
        setRollbackOnReturn(false);
        setAutoCommitOnReturn(false);
    }

    /** The tracked connection under DBCP's wrappers. */
    static TrackedConnection tracked(PoolableConnection pooled) {
        Connection innermost = pooled.getInnermostDelegateInternal();
        if (innermost instanceof TrackedConnection) {
            return (TrackedConnection) innermost;
        }
        throw new IllegalStateException("not a connection of an Athanor dbcp pool: " + pooled);
    }

    @Override
    public void passivateObject(PooledObject<PoolableConnection> p) throws SQLException {
        PoolableConnection pooled = p.getObject();
        TrackedConnection tracked = tracked(pooled);
        if (tracked.isDiscarded()) {
            throw DISCARDED;
        }
        // Through DBCP's wrapper, so that its cached auto-commit state (cacheState) stays right.
        if (pooled.getAutoCommit()) {
            pooled.setAutoCommit(false);
        }
        tracked.restoreIsolation();
        super.passivateObject(p);
    }

    @Override
    public void destroyObject(PooledObject<PoolableConnection> p, DestroyMode mode) throws SQLException {
        try {
            super.destroyObject(p, mode);
        } finally {
            if (mode == DestroyMode.ABANDONED) {
                // DBCP aborts an abandoned connection below the engine's wrapper; closing that wrapper as well
                // reports the close event like any other close (closing after abort is a no-op for the driver).
                tracked(p.getObject()).close();
            }
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
        if (!super.validateObject(p)) {
            return false;
        }
        String query = getValidationQuery();
        if (query == null || query.isEmpty()) {
            return true;
        }
        try {
            PoolableConnection pooled = p.getObject();
            if (!pooled.getAutoCommit()) {
                pooled.rollback();
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
