package dev.athanor.pool.hikari;

import dev.athanor.PoolStatus;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hikari} pool: a {@link HikariDataSource} that behaves like SQLAlchemy's QueuePool. Made by
 * {@link HikariPoolProvider}; reach the native pool with {@code engine.unwrap(HikariDataSource.class)} (or
 * {@code HikariPoolMXBean.class}).
 *
 * <h2>How the knobs map to HikariCP</h2>
 * <ul>
 *   <li>{@code poolSize}/{@code maxOverflow}: {@code maximumPoolSize = poolSize + maxOverflow}
 *       ({@link Integer#MAX_VALUE} for {@code maxOverflow -1} or {@code poolSize 0}), {@code minimumIdle = 0} so the
 *       pool starts empty and grows on demand, {@code initializationFailTimeout = -1} so starting it opens nothing
 *       and a database that is down is only reported by a checkout. The idle cap is the adapter's (below).</li>
 *   <li>{@code poolTimeout}: the wait of {@code HikariPool.getConnection(timeoutMs)}, which, unlike HikariCP's
 *       {@code connectionTimeout}, has no 250 ms floor, so any timeout from zero up is honoured; HikariCP's
 *       {@code SQLTransientConnectionException} becomes the cause of the {@code PoolTimeoutException}.</li>
 *   <li>{@code poolRecycle}, {@code poolPrePing}, {@code resetOnReturn}: done by the engine; HikariCP's
 *       {@code maxLifetime}, {@code keepaliveTime} and {@code idleTimeout} are off.</li>
 *   <li>{@code useLifo}: unsupported; HikariCP's bag gives a thread back the connections it returned itself (newest
 *       first) before the oldest idle one, and has no switch for either order.</li>
 * </ul>
 *
 * <h2>What the adapter enforces itself</h2>
 * <ul>
 *   <li><b>Idle cap, exactly.</b> HikariCP would keep every returned connection and retire extras 10 s or more later
 *       from its housekeeper. Here a checkin takes an idle slot (a compare-and-set, so two concurrent checkins cannot
 *       both take the last one); without one the connection is closed at once. A connection HikariCP finishes
 *       opening after its requester was served by a returned one needs a slot too, or is closed at once.</li>
 *   <li><b>A freed slot serves a waiter at once.</b> When the adapter closes a lent connection (invalidate, the
 *       idle cap) or a connect fails, HikariCP's entry for it goes back to HikariCP's bag as a dead entry instead of
 *       being evicted: HikariCP hands it to a waiting checkout, which evicts it and borrows again, and that borrow
 *       makes HikariCP open a connection. Evicted at once, the slot would be free but the checkouts already waiting
 *       would get nothing until their timeout, since HikariCP opens connections only when a borrow asks.</li>
 *   <li><b>Connect failures reach the checkout.</b> HikariCP connects on its own thread and would retry a failed
 *       connect quietly until the checkout times out. The adapter's data source never throws: it returns the failure
 *       as a pool entry that HikariCP hands to the waiting checkout, which gives it back and throws the driver's
 *       {@code SQLException} (the engine reports "could not connect"); counts are unchanged. Only a connect that
 *       began after the checkout did counts as its own: an older failure (say, refused just before the database came
 *       back) is dropped and the checkout borrows again.</li>
 *   <li><b>Timeouts are for the limit only.</b> As in SQLAlchemy, where a checkout below the limit opens its own
 *       connection and waits for it, a checkout past {@code poolTimeout} keeps waiting while the limit is not
 *       reached and HikariCP is opening connections; at the limit, one checkout per connect under way waits for it
 *       and the others fail on time. Should HikariCP open nothing for 2 s, waiting checkouts fail.</li>
 *   <li><b>No native validation or reset.</b> Borrowers get the engine's physical connection, not HikariCP's proxy,
 *       so HikariCP never rolls back a connection on return (resetOnReturn {@code NONE} leaves the transaction open)
 *       and never evicts on a statement error (the engine invalidates). HikariCP's alive check before lending a
 *       connection idle for more than 500 ms (a JVM-wide setting) is answered without a round trip: with
 *       {@code poolPrePing false} nothing is pinged.</li>
 *   <li><b>Session state.</b> Auto-commit off, the isolation level, read-only, catalog, schema and network timeout
 *       are put back at checkin when the borrower changed them.</li>
 *   <li><b>Synchronous closes.</b> Invalidate, the idle cap and {@code dispose()} close the database connection on
 *       the calling thread (so {@code onClose} fires there); HikariCP only drops its entry.</li>
 * </ul>
 *
 * <p>Not SQLAlchemy's: HikariCP opens new connections one at a time, on its connection-adder thread (where
 * {@code onConnect} fires), pausing 30 ms after each; a hanging connect delays other new connections, never a
 * checkout of an idle or returned one. {@code HikariPoolMXBean} counts may briefly include entries the adapter has
 * closed; {@link #status()} does not.
 */
public final class HikariPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.hikari");
    /** HikariCP's own floor for {@code connectionTimeout}; only its configuration shows that value. */
    private static final long HIKARI_TIMEOUT_FLOOR_MS = 250;
    /** Past {@code poolTimeout}, a checkout waits for a connect under way in slices of this length. */
    private static final long CONNECT_WAIT_SLICE_MS = 100;
    private static final int UNKNOWN = -1;

    private final PoolSpec spec;
    private final long timeoutNanos;
    private final boolean defaultReadOnly;
    private final Counts counts;
    private final Set<PooledConnection> openConnections = ConcurrentHashMap.newKeySet();
    private final HikariDataSource dataSource;
    private final HikariPool hikari;
    private volatile int defaultIsolation;
    private volatile boolean closed;

    HikariPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.spec = spec;
        this.timeoutNanos = saturatedNanos(spec.poolTimeout());
        this.counts = new Counts(spec.maxIdle(), spec.maxConnections());
        this.defaultIsolation = spec.isolationLevel() != null ? spec.isolationLevel().jdbcLevel() : UNKNOWN;

        HikariConfig config = new HikariConfig();
        HikariSettings.apply(spec, config);
        config.setPoolName(spec.poolName());
        config.setDataSource(new SourceAdapter(this, source, config.isReadOnly(), config.getCatalog(),
                config.getSchema(), HikariSettings.initSql(spec)));
        config.setMaximumPoolSize(spec.maxConnections());
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(HIKARI_TIMEOUT_FLOOR_MS, ceilMillis(timeoutNanos)));
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(false);
        config.setMaxLifetime(0);
        config.setIdleTimeout(0);
        config.setKeepaliveTime(0);
        this.defaultReadOnly = config.isReadOnly();
        this.dataSource = new HikariDataSource(config);
        this.hikari = (HikariPool) dataSource.getHikariPoolMXBean();
    }

    @Override
    public Connection checkout() throws SQLException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        boolean first = true;
        boolean waitingForConnect = false;
        try {
            while (true) {
                if (closed) {
                    throw new SQLException("[" + spec.poolName() + "] the pool is closed", "08003");
                }
                long left = first ? timeoutNanos : deadline - System.nanoTime(); // one clock read when not waiting
                long waitMillis = left > 0 ? ceilMillis(left) : first ? 0 : CONNECT_WAIT_SLICE_MS;
                first = false;
                Connection proxy;
                try {
                    proxy = hikari.getConnection(waitMillis);
                } catch (SQLTransientConnectionException timedOut) {
                    if (System.nanoTime() - deadline < 0) {
                        continue; // HikariCP may give up a few microseconds early; never fail before the timeout
                    }
                    if (hikari.getIdleConnections() > 0) {
                        continue; // a connection became idle (a connect finished) just as the wait ended: take it
                    }
                    if (!counts.atLimit() && counts.connectsUnderWay(start)) {
                        continue; // below the limit: a connect for the waiters is (or is about to be) under way
                    }
                    if (waitingForConnect && !counts.connectTicketStillValid()) {
                        waitingForConnect = false; // the connect it waited for went to another checkout
                        counts.releaseConnectTicket();
                    } else if (!waitingForConnect) {
                        waitingForConnect = counts.takeConnectTicket();
                    }
                    if (waitingForConnect) {
                        continue;
                    }
                    throw spec.timeoutException(timedOut);
                }
                PooledConnection pooled = proxy.unwrap(PooledConnection.class);
                if (pooled.claim()) {
                    counts.lentFromIdle();
                    return new Lease(pooled, proxy);
                }
                Throwable failure = pooled.connectStartedNanos() - start >= 0 ? pooled.takeFailure() : null;
                if (failure != null) {
                    handBack(proxy); // the failed connect's slot is free: a checkout waiting for it connects itself
                    throw asSqlException(failure);
                }
                evict(proxy); // the next borrow asks HikariCP for a connect
                // A connection closed while idle, or a connect that began before this checkout did and failed (it may
                // have been refused before the database came back): borrow again, which asks for a connect of its own.
            }
        } finally {
            if (waitingForConnect) {
                counts.releaseConnectTicket();
            }
        }
    }

    @Override
    public void checkin(Connection connection) throws SQLException {
        Lease lease = lease(connection);
        if (!lease.end()) {
            return;
        }
        boolean keep = !closed && !lease.closedByBorrower();
        SQLException restoreFailure = null;
        if (keep) {
            try {
                lease.restore();
            } catch (SQLException e) {
                restoreFailure = e;
                keep = false;
            }
        }
        if (keep && counts.returnIdle()) {
            if (lease.pooled().release()) {
                lease.proxy().close(); // back into HikariCP's bag
            } else {
                counts.idleLeft(); // closed by HikariCP's shutdown meanwhile
            }
            return;
        }
        counts.returned();
        discard(lease);
        if (restoreFailure != null) {
            throw restoreFailure;
        }
    }

    @Override
    public void invalidate(Connection connection) {
        if (!(connection instanceof Lease) || ((Lease) connection).owner() != this) {
            LOG.warn("[{}] asked to invalidate a connection this pool did not lend: {}", spec.poolName(), connection);
            return;
        }
        Lease lease = (Lease) connection;
        if (lease.end()) {
            counts.returned();
            discard(lease);
        }
    }

    @Override
    public PoolStatus status() {
        return counts.status(spec.poolSize());
    }

    @Override
    public void dispose() {
        for (PooledConnection pooled : openConnections) {
            if (pooled.retireIdle()) {
                counts.idleLeft();
                pooled.closePhysical();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        dataSource.close();
        for (PooledConnection pooled : openConnections) {
            pooled.close(); // whatever HikariCP's shutdown left open
        }
    }

    @Override
    public Capabilities capabilities() {
        return HikariPoolProvider.CAPABILITIES;
    }

    /**
     * The {@link HikariDataSource} (also as {@code HikariConfig}, {@code HikariConfigMXBean} or {@code DataSource})
     * or its {@code HikariPoolMXBean}, to inspect, tune at run time or attach metrics. Do not borrow from it: such a
     * connection bypasses Athanor's counts and rules, and HikariCP's session setters on it are ignored (the adapter
     * answers them, see {@code PooledConnection}). Borrow with {@code engine.connect()} or {@code engine.dataSource()}.
     */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(dataSource)) {
            return type.cast(dataSource);
        }
        if (type.isInstance(hikari)) {
            return type.cast(hikari);
        }
        return PoolBackend.super.unwrap(type);
    }

    @Override
    public String toString() {
        return "HikariPoolBackend[" + spec.poolName() + ": " + status() + "]";
    }

    // ---- called by SourceAdapter (HikariCP's connection-adder thread) and PooledConnection

    void connectStarted() {
        counts.connectStarted();
    }

    void connectEnded() {
        counts.connectEnded();
    }

    /** A new physical connection: kept when an idle slot is free, otherwise closed at once. */
    PooledConnection connected(Connection physical, long connectStartedNanos) {
        if (!closed && counts.reserveIdle()) {
            PooledConnection pooled = PooledConnection.opened(this, physical, connectStartedNanos);
            counts.opened();
            openConnections.add(pooled);
            return pooled;
        }
        // Its requester was served by a returned connection while poolSize are idle (or the pool is closing).
        try {
            physical.close();
        } catch (SQLException | RuntimeException e) {
            closeFailed(e);
        }
        return PooledConnection.discarded(this, connectStartedNanos);
    }

    PooledConnection connectFailed(Throwable failure, long connectStartedNanos) {
        LOG.debug("[{}] connect failed; handing the failure to a waiting checkout", spec.poolName(), failure);
        return PooledConnection.failed(this, failure, connectStartedNanos);
    }

    void physicalClosed(PooledConnection pooled) {
        if (openConnections.remove(pooled)) {
            counts.closed();
        }
    }

    /** HikariCP closed a connection itself; one it held idle no longer counts. */
    void closedByHikari(int previousState) {
        if (previousState == PooledConnection.IDLE) {
            counts.idleLeft();
        }
    }

    void closeFailed(Exception e) {
        LOG.debug("[{}] closing a connection failed", spec.poolName(), e);
    }

    // ---- called by Lease and PooledConnection

    boolean defaultReadOnly() {
        return defaultReadOnly;
    }

    int defaultIsolation() {
        return defaultIsolation;
    }

    /** Records the pool's isolation level from a connection that still has it, when the engine sets none. */
    void learnDefaultIsolation(Connection connection) throws SQLException {
        if (defaultIsolation == UNKNOWN) {
            defaultIsolation = connection.getTransactionIsolation();
        }
    }

    // ---- internals

    private Lease lease(Connection connection) {
        if (connection instanceof Lease && ((Lease) connection).owner() == this) {
            return (Lease) connection;
        }
        throw new IllegalArgumentException("[" + spec.poolName() + "] not a connection this pool lent: "
                + connection);
    }

    /** Closes a lent connection and gives HikariCP's entry for it back as a dead one (see {@link #handBack}). */
    private void discard(Lease lease) {
        PooledConnection pooled = lease.pooled();
        if (pooled.retireBusy()) {
            pooled.closePhysical();
        }
        handBack(lease.proxy());
    }

    /**
     * Drops HikariCP's entry of a connection that is closed (or never opened) so that a checkout waiting at the limit
     * is served at once. Evicting alone frees the slot, but HikariCP opens a connection only when a borrow asks for
     * one, and the checkouts already waiting asked while the pool was full: they would get nothing until their
     * timeout. So while checkouts wait, the dead entry goes back to HikariCP's bag, which hands it to a waiter; that
     * checkout finds it dead, evicts it and borrows again, and that borrow makes HikariCP open a connection. With
     * nobody waiting the entry is evicted, so that HikariCP's counts do not show it; a checkout that began waiting
     * meanwhile may have asked while the slot was still taken, so HikariCP is asked again.
     */
    private void handBack(Connection proxy) {
        if (!closed && hikari.getThreadsAwaitingConnection() > 0) {
            try {
                proxy.close();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.debug("[{}] HikariCP did not take back a closed entry; evicting it", spec.poolName(), e);
            }
        }
        evict(proxy);
        if (!closed && hikari.getThreadsAwaitingConnection() > 0) {
            askForConnect();
        }
    }

    /**
     * A borrow that does not wait: it makes HikariCP open a connection for the waiting checkouts when there is room.
     * Should it find an entry instead, that entry goes back to the bag, where a waiter gets it.
     */
    private void askForConnect() {
        Connection proxy;
        try {
            proxy = hikari.getConnection(0);
        } catch (SQLException | RuntimeException e) {
            return; // nothing idle: HikariCP was asked for a connect, which is the point
        }
        try {
            PooledConnection pooled = proxy.unwrap(PooledConnection.class);
            if (pooled.state() == PooledConnection.IDLE) {
                proxy.close(); // an idle connection, not claimed: back to the bag, where a waiter gets it
            } else {
                handBack(proxy); // another dead entry
            }
        } catch (SQLException | RuntimeException e) {
            evict(proxy);
        }
    }

    private void evict(Connection proxy) {
        try {
            dataSource.evictConnection(proxy);
        } catch (RuntimeException e) {
            LOG.debug("[{}] HikariCP could not evict {}", spec.poolName(), proxy, e);
        }
    }

    private static SQLException asSqlException(Throwable failure) {
        if (failure instanceof SQLException) {
            return (SQLException) failure;
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return new SQLException(failure.getMessage(), "08001", failure);
    }

    private static long saturatedNanos(Duration d) {
        // A deadline must not overflow: a century is as good as forever.
        Duration max = Duration.ofDays(36_500);
        return (d.compareTo(max) > 0 ? max : d).toNanos();
    }

    private static long ceilMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
