package dev.athanor.pool.dbcp;

import dev.athanor.PoolStatus;
import dev.athanor.internal.pool.CheckoutSlots;
import dev.athanor.internal.pool.StatusSnapshot;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.impl.AbandonedConfig;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code dbcp} pool: DBCP's {@link PoolableConnectionFactory} over the engine's {@link ConnectionSource}, kept in
 * a commons-pool2 {@link GenericObjectPool}. DBCP's {@code BasicDataSource} is not used: it wants a driver class and
 * URL of its own, and its {@code invalidateConnection} opens a replacement at once (see below).
 *
 * <p>How each knob maps to the native pool:
 * <ul>
 *   <li>{@code poolSize}/{@code maxOverflow}: {@code maxTotal = poolSize + maxOverflow} ({@code -1} when unlimited),
 *       {@code maxIdle = poolSize} ({@code -1} for {@code poolSize 0}), {@code minIdle = 0}, nothing created up
 *       front. pool2 destroys a returned object when {@code maxIdle} are idle already, so an overflow connection is
 *       closed at checkin, exactly.</li>
 *   <li>{@code poolTimeout}: the wait for a slot (below), on {@link System#nanoTime()}, so sub-second timeouts
 *       hold; pool2's {@code maxWait} with {@code blockWhenExhausted} bounds what is left of it inside pool2. A
 *       timeout is {@link PoolSpec#timeoutException}: without a cause when the slot never came (the usual case),
 *       with pool2's {@code NoSuchElementException} ("Timeout waiting for idle object") when pool2 ran out the
 *       rest.</li>
 *   <li>{@code useLifo}: {@code lifo} (pool2's default is LIFO; Athanor's is FIFO). Idle objects are taken from the
 *       head and returned to the head (LIFO) or the tail (FIFO): exact.</li>
 *   <li>{@code poolRecycle}, {@code poolPrePing}, {@code resetOnReturn}: done by the engine; the native
 *       equivalents ({@code maxConn}, {@code testOnBorrow}, {@code rollbackOnReturn}) are off so nothing is done
 *       twice.</li>
 * </ul>
 *
 * <p>What the adapter enforces itself:
 * <ul>
 *   <li>One queue of waiting checkouts: a checkout first takes one of {@code poolSize + maxOverflow} slots
 *       ({@code CheckoutSlots}; none when unlimited), waiting for up to {@code poolTimeout}; only a slot holder
 *       borrows from pool2, and the slot is given back when the connection is returned or discarded. Waiting
 *       checkouts are served in arrival order; one arriving just as a slot frees may take it first unless the queue
 *       has gone unserved for 20 ms (a strict hand-off costs a thread wake-up per checkout under contention; unbounded
 *       barging starves waiters). Without the slots, thousands of checkouts waiting inside pool2 and looking again
 *       every 100 ms (below) were served in no order, and some waited for minutes.</li>
 *   <li>Never timing out early, and no missed free slot: the checkout waits in slices of at most 100 ms, measuring
 *       {@code poolTimeout} on {@link System#nanoTime()} (pool2 uses the wall clock), and each slice looks for
 *       capacity again. pool2's waiters watch only the idle queue: a slot freed by destroying a connection is handed
 *       to a waiter only if one is queued at that moment, so a checkout could otherwise wait for its whole timeout
 *       while the pool has room (seen under concurrent invalidations; it is why POOL-424 made invalidation eager).
 *       </li>
 *   <li>Invalidation without eager replacement: {@code GenericObjectPool.invalidateObject} calls
 *       {@code addObject()} (POOL-424, pool2 2.13.0), opening a new connection on the invalidating thread even when
 *       nobody waits. The backend instead marks the connection discarded and returns it; passivation refuses it and
 *       pool2 destroys it, freeing the slot. Only when a checkout is waiting does pool2 open a connection for it on
 *       the thread that freed the slot (its hand-off to waiters, the same as for any destroyed object).</li>
 *   <li>No self-invalidation: DBCP's {@code PoolableConnection} reacts to a closed delegate (in {@code isClosed()},
 *       which its {@code isValid()} calls) with {@code invalidateObject}, the eager path above, bypassing the engine.
 *       The connection under it therefore reports closed only once the pool closed it; a connection the server
 *       dropped is found by the engine (pre-ping, disconnect errors) and discarded through the backend. Seen from
 *       {@code Connection.jdbc().isClosed()}, a dropped connection stays "open" until then.</li>
 *   <li>Auto-commit off and the engine's isolation level are restored on return when a borrower changed them
 *       (the isolation level only then: PgJDBC's {@code getTransactionIsolation()} is a round trip, so DBCP's
 *       {@code defaultTransactionIsolation} check at each borrow is not used).</li>
 *   <li>Counts: {@code checkedOut} is counted by the adapter (incremented after a successful borrow, decremented
 *       before the return), so it never goes negative and never counts a connection twice;
 *       {@code checkedIn} is pool2's idle count.</li>
 * </ul>
 *
 * <p>Every knob is declared {@link dev.athanor.spi.Capability#exact() EXACT}. No background thread runs unless
 * {@code timeBetweenEvictionRunsMillis} is set; no JMX bean is registered unless {@code jmxEnabled} is.
 * {@link #close()} closes every connection at once, borrowed ones included. With the opt-in
 * abandoned-connection removal ({@code removeAbandonedOnBorrow}/{@code OnMaintenance}), pool2 aborts the abandoned
 * connection and opens a replacement at once; the borrower that abandoned it still counts as checked out until it
 * returns it.
 *
 * <p>{@code engine.unwrap(GenericObjectPool.class)} and {@code engine.unwrap(PoolableConnectionFactory.class)} reach
 * the native objects; borrowing from them directly bypasses the engine (no events, no reset on return).
 */
public final class DbcpPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.dbcp");
    /**
     * The longest a checkout waits inside pool2 before it looks for free capacity again. pool2's waiters only watch
     * the idle queue; a slot freed by destroying a connection reaches them only if one is already queued when the
     * slot frees ({@code ensureIdle}), so a checkout between its capacity check and its wait would otherwise miss
     * it until some connection is returned, or until it times out.
     */
    static final long WAIT_SLICE_NANOS = Duration.ofMillis(100).toNanos();

    private final PoolSpec spec;
    private final String poolName;
    private final AthanorConnectionFactory factory;
    private final GenericObjectPool<PoolableConnection> pool;
    private final long timeoutNanos;
    private final AtomicInteger checkedOut = new AtomicInteger();
    /** Every connection opened and not closed yet, borrowed ones included: {@link #close()} closes what is left. */
    private final Set<TrackedConnection> openConnections = ConcurrentHashMap.newKeySet();
    /** Checkouts allowed at once ({@code poolSize + maxOverflow}), waiters in arrival order. */
    private final CheckoutSlots slots;

    DbcpPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.spec = spec;
        this.poolName = spec.poolName();
        this.timeoutNanos = CheckoutSlots.saturatedNanos(spec.poolTimeout());
        this.slots = new CheckoutSlots(spec);
        int isolation = spec.isolationLevel() == null
                ? TrackedConnection.UNKNOWN_ISOLATION : spec.isolationLevel().jdbcLevel();
        this.factory = new AthanorConnectionFactory(() -> {
            TrackedConnection opened = new TrackedConnection(source.connect(), isolation, openConnections::remove);
            openConnections.add(opened);
            return opened;
        });

        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setJmxEnabled(false);
        DbcpProperties.Targets targets = new DbcpProperties.Targets(config, factory);
        DbcpProperties.apply(spec.backendProperties(), targets);
        // The knobs last, so that nothing can override them (validation refuses such properties anyway).
        config.setMaxTotal(spec.unlimited() ? -1 : spec.maxConnections());
        config.setMaxIdle(spec.poolSize() == 0 ? -1 : spec.poolSize());
        config.setMinIdle(0);
        config.setMaxWait(spec.poolTimeout());
        config.setBlockWhenExhausted(true);
        config.setLifo(spec.useLifo());
        config.setTestOnCreate(false);
        config.setTestOnBorrow(false);
        config.setTestOnReturn(false);

        AbandonedConfig abandoned = targets.abandonedOrNull();
        if (abandoned != null) {
            abandoned.setLogWriter(new PrintWriter(new Slf4jWriter(LOG, poolName)));
            this.pool = new GenericObjectPool<>(factory, config, abandoned);
        } else {
            this.pool = new GenericObjectPool<>(factory, config);
        }
        pool.setSwallowedExceptionListener(this::swallowed);
        factory.setPool(pool);
    }

    @Override
    public Connection checkout() throws SQLException {
        long start = System.nanoTime();
        slots.take();
        boolean done = false;
        try {
            Connection c = borrow(start);
            done = true;
            return c;
        } finally {
            if (!done) {
                slots.release();
            }
        }
    }

    private Connection borrow(long start) throws SQLException {
        long left = timeoutNanos - (System.nanoTime() - start);
        while (true) {
            PoolableConnection c;
            try {
                // Never Duration.ZERO: pool2 would then wait without a bound for another thread's connect.
                c = pool.borrowObject(Duration.ofNanos(Math.max(1, Math.min(left, WAIT_SLICE_NANOS))));
            } catch (NoSuchElementException e) {
                if (e.getCause() != null) {
                    // A new connection that could not be activated: a connect-time failure, not a timeout.
                    throw new SQLException("[" + poolName + "] a new connection could not be prepared for use: "
                            + e.getCause(), "08001", e.getCause());
                }
                left = timeoutNanos - (System.nanoTime() - start);
                if (left > 0) {
                    continue;
                }
                throw spec.timeoutException(e);
            } catch (SQLException | RuntimeException e) {
                if (pool.isClosed()) {
                    throw new IllegalStateException("[" + poolName + "] pool is closed", e);
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (pool.isClosed()) {
                    throw new IllegalStateException("[" + poolName + "] pool was closed while waiting", e);
                }
                throw new SQLException("[" + poolName + "] interrupted while waiting for a connection", e);
            } catch (Exception e) {
                throw new SQLException("[" + poolName + "] could not check a connection out: " + e, e);
            }
            checkedOut.incrementAndGet();
            return c;
        }
    }

    @Override
    public void checkin(Connection connection) throws SQLException {
        PoolableConnection c = pooled(connection);
        checkedOut.decrementAndGet();
        try {
            pool.returnObject(c);
        } catch (IllegalStateException e) {
            throw new SQLException("[" + poolName + "] could not return a connection: " + e.getMessage(), e);
        } finally {
            slots.release();
        }
    }

    @Override
    public void invalidate(Connection connection) {
        PoolableConnection c = pooled(connection);
        checkedOut.decrementAndGet();
        TrackedConnection tracked = AthanorConnectionFactory.tracked(c);
        tracked.discard();
        try {
            pool.returnObject(c);
        } catch (RuntimeException e) {
            // Not in the pool any more (returned twice, or removed as abandoned): close it directly.
            LOG.debug("[{}] invalidated connection was not in the pool: {}", poolName, e.toString());
            try {
                tracked.close();
            } catch (SQLException | RuntimeException ignored) {
                // Discarding: nothing more to do when closing fails too.
            }
        } finally {
            slots.release();
        }
    }

    @Override
    public PoolStatus status() {
        return StatusSnapshot.queue(spec.poolSize(), pool::getNumIdle, checkedOut);
    }

    /** Checkouts waiting now: for a slot, or inside pool2. */
    int waitingCheckouts() {
        return slots.waiting() + pool.getNumWaiters();
    }

    @Override
    public void dispose() {
        pool.clear();
    }

    /**
     * Closes the pool: pool2 closes the idle connections, and the borrowed ones are closed here, at once, as HikariCP
     * and c3p0 do (pool2 would close them only when returned: a borrower that never returns one kept its session,
     * and its locks, on the server). A borrower's later use fails; its return discards the connection.
     */
    @Override
    public void close() {
        pool.close();
        for (TrackedConnection c : openConnections) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("[{}] closing a borrowed connection at close() failed", poolName, e);
            }
        }
    }

    @Override
    public Capabilities capabilities() {
        return DbcpPoolProvider.CAPABILITIES;
    }

    /**
     * {@link GenericObjectPool} (or any type it implements), {@link PoolableConnectionFactory}, or this backend.
     */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(pool)) {
            return type.cast(pool);
        }
        if (type.isInstance(factory)) {
            return type.cast(factory);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("[" + poolName + "] the dbcp backend wraps a GenericObjectPool and a"
                + " PoolableConnectionFactory, not a " + type.getName());
    }

    @Override
    public String toString() {
        return "DbcpPoolBackend[" + poolName + ": " + status() + "]";
    }

    private PoolableConnection pooled(Connection connection) {
        if (connection instanceof PoolableConnection) {
            return (PoolableConnection) connection;
        }
        throw new IllegalArgumentException("[" + poolName + "] not a connection of this pool: " + connection);
    }

    /** What pool2 swallows: failed destroys, failed connects for a waiting checkout, evictor errors. */
    private void swallowed(Exception e) {
        if (e == AthanorConnectionFactory.DISCARDED) {
            return;
        }
        LOG.warn("[{}] commons-pool2: {}", poolName, e.toString());
        LOG.debug("[{}] commons-pool2 detail", poolName, e);
    }
}
