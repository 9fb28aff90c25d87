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
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code dbcp} store: a commons-pool2 {@link GenericObjectPool} of DBCP {@link PoolableConnection}s, each wrapping
 * a connection from the engine's {@link ConnectionSource} ({@link AthanorConnectionFactory}). The engine enforces
 * every pool rule; the native pool is set up so that it never stands in the way:
 * <ul>
 *   <li>{@code maxTotal -1} and {@code blockWhenExhausted false}: the engine caps at {@code poolSize + maxOverflow}
 *       and queues waiting checkouts, so no thread ever waits inside pool2, and {@link #take()} opens a connection
 *       on the caller's thread when none is idle. pool2 does not retry a failed connect: it reaches that caller
 *       once.</li>
 *   <li>{@code maxIdle = poolSize} ({@code -1} for {@code poolSize 0}), {@code minIdle 0}, nothing opened up front.
 *       The engine counts a connection idle before {@link #keep} and uncounts it after pool2 handed it out, so pool2
 *       always holds fewer idle than the engine counts and never destroys a connection given to {@code keep}.</li>
 *   <li>{@code lifo = useLifo}: pool2 hands out the head of its idle deque and returns to the head (LIFO) or the
 *       tail (FIFO).</li>
 *   <li>{@code testOnBorrow/OnCreate/OnReturn}, {@code maxConn}, DBCP's rollback and auto-commit on return are off:
 *       pre-ping, recycle, reset and restoring session settings are the engine's.</li>
 * </ul>
 * {@link #discard} destroys a connection without pool2 opening a replacement (see {@link AthanorConnectionFactory}).
 * No thread runs unless {@code timeBetweenEvictionRunsMillis} is set; a connection the evictor closes stops counting
 * as idle for the engine when it closes. {@code engine.unwrap(GenericObjectPool.class)} and
 * {@code engine.unwrap(PoolableConnectionFactory.class)} reach the native objects; borrowing from them directly
 * bypasses the engine.
 */
public final class DbcpPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.dbcp");

    private final String poolName;
    /** The engine's connections opened and not closed yet: {@link #close()} closes the borrowed ones too. */
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AthanorConnectionFactory factory;
    private final GenericObjectPool<PoolableConnection> pool;

    DbcpPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.poolName = spec.poolName();
        this.factory = new AthanorConnectionFactory(source, open);
        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setJmxEnabled(false);
        DbcpProperties.apply(spec.backendProperties(), config, factory);
        // The knobs last, so that nothing overrides them (validation refuses such properties anyway).
        config.setMaxTotal(-1);
        config.setMaxIdle(spec.poolSize() == 0 ? -1 : spec.poolSize());
        config.setMinIdle(0);
        config.setBlockWhenExhausted(false);
        config.setLifo(spec.useLifo());
        config.setTestOnCreate(false);
        config.setTestOnBorrow(false);
        config.setTestOnReturn(false);
        this.pool = new GenericObjectPool<>(factory, config);
        pool.setSwallowedExceptionListener(this::swallowed);
        factory.setPool(pool);
    }

    @Override
    public Connection take() throws SQLException {
        PoolableConnection c;
        try {
            c = pool.borrowObject();
        } catch (SQLException | RuntimeException e) {
            if (pool.isClosed()) {
                throw closed(e);
            }
            throw e; // a connect failure (or failed init SQL) reaches this caller, once: pool2 does not retry
        } catch (Exception e) {
            throw new SQLException("[" + poolName + "] could not take a connection: " + e, e); // not thrown by DBCP
        }
        if (pool.isClosed()) {
            discard(c); // close() ran while this connect was under way: nothing may stay open
            throw closed(null);
        }
        return c;
    }

    private SQLException closed(Throwable cause) {
        return new SQLException("[" + poolName + "] the pool is closed", "08003", cause);
    }

    @Override
    public void keep(Connection connection) throws SQLException {
        try {
            pool.returnObject(pooled(connection));
        } catch (IllegalStateException e) {
            throw new SQLException("[" + poolName + "] could not return a connection: " + e.getMessage(), e);
        }
    }

    /**
     * Gives the connection back marked as discarded: passivation refuses it, so pool2 destroys it (closing the
     * engine's connection) and frees its place without opening another. Whatever pool2 does, the engine's
     * connection ends up closed.
     */
    @Override
    public void discard(Connection connection) {
        PoolableConnection c = pooled(connection);
        Connection engineConnection = c.getDelegate();
        factory.discarding.add(c);
        try {
            pool.returnObject(c);
        } catch (RuntimeException e) {
            LOG.debug("[{}] a discarded connection was not in the pool: {}", poolName, e.toString());
        } finally {
            factory.discarding.remove(c);
            open.remove(engineConnection);
            closeQuietly(engineConnection);
        }
    }

    @Override
    public void dispose() {
        pool.clear();
    }

    /**
     * Closes the pool (pool2 closes the idle connections) and the borrowed connections at once: pool2 would close
     * them only when returned, and a borrower that never returns one would keep its session, and its locks, on the
     * server.
     */
    @Override
    public void close() {
        pool.close();
        for (Connection c : open) {
            open.remove(c);
            closeQuietly(c);
        }
    }

    /** {@link GenericObjectPool} (or any type it implements), {@link PoolableConnectionFactory}, or this backend. */
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

    private PoolableConnection pooled(Connection connection) {
        if (connection instanceof PoolableConnection c) {
            return c;
        }
        throw new IllegalArgumentException("[" + poolName + "] not a connection of this pool: " + connection);
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] closing a connection failed", poolName, e);
        }
    }

    /** What pool2 swallows: failed destroys and evictor errors (a discard's own signal is expected). */
    private void swallowed(Exception e) {
        if (e == AthanorConnectionFactory.DISCARDED) {
            return;
        }
        LOG.warn("[{}] commons-pool2: {}", poolName, e.toString());
        LOG.debug("[{}] commons-pool2 detail", poolName, e);
    }
}
