package dev.athanor.pool.dbcp;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.DestroyMode;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dbcp} store: a commons-pool2 {@link GenericObjectPool} of DBCP {@link PoolableConnection}s, each wrapping
 * (and unwrapping to) a connection from the engine's {@link ConnectionSource}. The engine enforces every pool rule;
 * the native pool is set up never to stand in its way:
 * <ul>
 *   <li>{@code maxTotal -1}, {@code blockWhenExhausted false}: the engine caps and queues checkouts, so no thread
 *       waits in pool2; {@link #take()} connects on the caller's thread, and pool2 does not retry a failed connect.
 *   <li>{@code maxIdle = poolSize} ({@code -1} for 0), {@code minIdle 0}: the engine counts a connection idle before
 *       {@link #keep} and uncounts it only after pool2 handed it out, so pool2 never destroys a connection kept.
 *   <li>{@code lifo = useLifo}: pool2 hands out the head of its idle deque and returns to the head or the tail.
 *   <li>{@code testOn*}, {@code maxConn}, DBCP's rollback and auto-commit on return off: the engine's work.
 *   <li>{@link #discard}: the connection goes back marked, its passivation fails, and pool2 destroys it without a
 *       replacement. Not {@code invalidateObject}: since pool2 2.13.0 it calls {@code addObject()} (POOL-424),
 *       opening a replacement on the discarding thread.
 * </ul>
 * No thread runs unless {@code timeBetweenEvictionRunsMillis} is set; what the evictor closes stops counting as idle
 * for the engine when it closes.
 */
public final class DbcpPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.dbcp");
    /** Thrown by passivation for a discarded connection; an expected signal, not an error. */
    private static final SQLException DISCARDED = new SQLException("connection discarded by the engine");

    private final String poolName;
    /** The engine's connections opened and not closed yet: {@link #close()} closes the borrowed ones too. */
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Connections being given back to be destroyed (by identity: DBCP's wrappers do not override equals). */
    private final Set<PoolableConnection> discarding = ConcurrentHashMap.newKeySet();
    private final Factory factory;
    private final GenericObjectPool<PoolableConnection> pool;

    DbcpPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.poolName = spec.poolName();
        this.factory = new Factory(source);
        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setJmxEnabled(false);
        spec.backendProperties().forEach((name, value) -> DbcpPoolProvider.apply(name, value.trim(), config, factory));
        // The knobs last, so that nothing overrides them.
        config.setMaxTotal(-1);
        config.setMaxIdle(spec.poolSize() == 0 ? -1 : spec.poolSize());
        config.setMinIdle(0);
        config.setBlockWhenExhausted(false);
        config.setLifo(spec.useLifo());
        config.setTestOnCreate(false);
        config.setTestOnBorrow(false);
        config.setTestOnReturn(false);
        this.pool = new GenericObjectPool<>(factory, config);
        // What pool2 swallows: failed destroys and evictor errors (a discard's own signal is expected).
        pool.setSwallowedExceptionListener(e -> {
            if (e != DISCARDED) {
                LOG.warn("[{}] commons-pool2: {}", poolName, e.toString(), e);
            }
        });
        factory.setPool(pool);
    }

    @Override
    public Connection take() throws SQLException {
        try {
            return pool.borrowObject(); // a connect failure (or failed init SQL) reaches this caller, once
        } catch (SQLException | RuntimeException e) {
            if (pool.isClosed()) {
                throw new SQLException("[" + poolName + "] the pool is closed", "08003", e);
            }
            throw e;
        } catch (Exception e) {
            throw new SQLException("[" + poolName + "] could not take a connection: " + e, e); // not thrown by DBCP
        }
    }

    @Override
    public void keep(Connection connection) throws SQLException {
        try {
            pool.returnObject((PoolableConnection) connection);
        } catch (IllegalStateException e) {
            throw new SQLException("[" + poolName + "] could not return a connection: " + e.getMessage(), e);
        }
    }

    @Override
    public void discard(Connection connection) {
        PoolableConnection c = (PoolableConnection) connection;
        discarding.add(c);
        try {
            pool.returnObject(c);
        } catch (RuntimeException e) {
            LOG.debug("[{}] a discarded connection was not in the pool: {}", poolName, e.toString());
        } finally {
            discarding.remove(c);
            closeQuietly(c.getDelegate()); // whatever pool2 did: a no-op when it closed it
        }
    }

    @Override
    public void dispose() {
        pool.clear();
    }

    /** Closes the idle connections (pool2) and the borrowed ones at once: pool2 would wait for their return. */
    @Override
    public void close() {
        pool.close();
        open.forEach(this::closeQuietly);
    }

    /** {@link GenericObjectPool} (or a type it implements) or {@link PoolableConnectionFactory}; do not borrow. */
    @Override
    public <T> T unwrap(Class<T> type) {
        for (Object o : new Object[] {pool, factory, this}) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        throw new IllegalArgumentException("[" + poolName + "] the dbcp backend wraps a GenericObjectPool and a"
                + " PoolableConnectionFactory, not a " + type.getName());
    }

    private void closeQuietly(Connection c) {
        open.remove(c);
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] closing a connection failed", poolName, e);
        }
    }

    /**
     * DBCP's factory over the engine's connections. Besides refusing discarded connections at passivation: init SQL
     * is committed (the first reset on return would roll it back); idle validation skips
     * {@code PoolableConnection.isClosed()}, which answers a delegate the driver reports closed with
     * {@code invalidateObject} (a replacement), and rolls a {@code validationQuery} back, so an idle connection is
     * never left in a transaction; a destroyed connection's engine connection is always closed, since DBCP skips
     * {@code close()} when the driver reports it closed and the engine must still see the close.
     */
    private final class Factory extends PoolableConnectionFactory {
        Factory(ConnectionSource source) {
            super(() -> {
                Connection c = source.connect();
                open.add(c);
                return c;
            }, null);
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
            try {
                super.destroyObject(p, mode);
            } finally {
                closeQuietly(p.getObject().getDelegate());
            }
        }

        @Override
        protected void initializeConnection(Connection connection) throws SQLException {
            try {
                super.initializeConnection(connection);
                if (getConnectionInitSqls() != null && !getConnectionInitSqls().isEmpty()) {
                    connection.commit();
                }
            } catch (SQLException | RuntimeException e) {
                open.remove(connection); // DBCP closes it and rethrows to the checkout
                throw e;
            }
        }

        @Override
        public boolean validateObject(PooledObject<PoolableConnection> p) {
            PoolableConnection pooled = p.getObject();
            try {
                if (pooled.getDelegate().isClosed()) {
                    return false;
                }
                pooled.validate(getValidationQuery(), getValidationQueryTimeoutDuration());
                if (getValidationQuery() != null && !getValidationQuery().isEmpty()
                        && !pooled.getDelegate().getAutoCommit()) { // an AUTOCOMMIT engine has nothing to roll back
                    pooled.getDelegate().rollback();
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                return false;
            }
        }
    }
}
