package dev.athanor.pool.hikari;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;
import dev.athanor.spi.support.ConnectFailures;
import dev.athanor.spi.support.DelegatingConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hikari} store: a {@link HikariDataSource} keeps, hands out, opens and closes the connections; the engine
 * applies the pool's rules. HikariCP is set up never to stand in the way: {@code maximumPoolSize} is
 * {@code poolSize + maxOverflow} ({@link Integer#MAX_VALUE} when unlimited), {@code minimumIdle 0} and
 * {@code initializationFailTimeout -1} (nothing opened until a checkout asks), {@code idleTimeout},
 * {@code maxLifetime} and {@code keepaliveTime} off (nothing retired behind the engine's back), auto-commit off.
 *
 * <p>HikariCP connects on its own adder thread and retries a failed connect until its {@code connectionTimeout}, so
 * it connects through {@link ConnectFailures}: {@link #take()} borrows in slices of {@code connectionTimeout}
 * (250 ms, HikariCP's floor) and after each slice takes the failure of a connect that began since the checkout did;
 * without one, a connect is still under way and it borrows again. So a failed connect reaches its checkout within one
 * slice, and the wait for a connect is bounded by the driver's connect timeout, not {@code poolTimeout}, as in
 * SQLAlchemy. A connect no borrower waits for any more (its borrower got a returned connection) is refused, or it
 * would sit idle in HikariCP unseen by the engine's idle cap.
 *
 * <p>Not SQLAlchemy's: new connections open one at a time on the adder thread (where {@code onConnect} fires); after
 * a failed connect HikariCP pauses 10 ms, doubling up to 5 s, before it connects again while checkouts still wait.
 */
public final class HikariPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.hikari");
    /** HikariCP's floor for {@code connectionTimeout}: how long a checkout waits before it looks for a failure. */
    static final long SLICE_MILLIS = 250;

    private final String poolName;
    private final ConnectionSource source;
    private final String initSql;
    private final ConnectFailures failures = new ConnectFailures(this::connect, this::wanted);
    /** Every connection opened through HikariCP and not closed yet, borrowed ones included, for close(). */
    private final Set<Held> open = ConcurrentHashMap.newKeySet();
    private final HikariDataSource dataSource;
    private final HikariPoolMXBean pool;
    private volatile boolean closed;

    HikariPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.poolName = spec.poolName();
        this.source = source;
        this.initSql = HikariSettings.initSql(spec);
        HikariConfig config = new HikariConfig();
        HikariSettings.apply(spec, config);
        config.setPoolName(spec.poolName());
        config.setDataSource(failures.dataSource());
        config.setMaximumPoolSize(spec.maxConnections());
        config.setMinimumIdle(0);
        config.setIdleTimeout(0);
        config.setMaxLifetime(0);
        config.setKeepaliveTime(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(SLICE_MILLIS);
        config.setAutoCommit(false);
        this.dataSource = new HikariDataSource(config);
        this.pool = dataSource.getHikariPoolMXBean();
    }

    @Override
    public Connection take() throws SQLException {
        long start = System.nanoTime();
        while (true) {
            if (closed) {
                throw new SQLException("[" + poolName + "] the pool is closed", "08003");
            }
            Connection proxy;
            try {
                proxy = dataSource.getConnection();
            } catch (SQLTransientConnectionException sliceEnded) {
                SQLException failed = failures.takeFailure(start);
                if (failed != null) {
                    throw failed;
                }
                continue; // no connect of this checkout's failed: one is still under way
            }
            if (proxy.unwrap(Held.class).lend()) {
                return proxy;
            }
            dataSource.evictConnection(proxy); // dispose() closed it just as HikariCP handed it out
        }
    }

    /** Closes HikariCP's proxy: the connection goes back to HikariCP's bag. */
    @Override
    public void keep(Connection connection) throws SQLException {
        connection.unwrap(Held.class).state = Held.IDLE;
        connection.close();
        if (closed) {
            open.forEach(this::closeQuietly); // close() ran meanwhile: nothing may stay open
        }
    }

    /**
     * Closes the physical connection on the caller's thread (so {@code onClose} fires there and the server session is
     * gone at once), then evicts HikariCP's entry, which frees its place in HikariCP at once.
     */
    @Override
    public void discard(Connection connection) {
        try {
            closeQuietly(connection.unwrap(Held.class));
            dataSource.evictConnection(connection);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] discarding {} failed", poolName, connection, e);
        }
    }

    /**
     * Closes the idle connections on the caller's thread (so the engine's idle count follows at once), then
     * {@code softEvictConnections()}: HikariCP drops their entries and marks borrowed connections, which it closes
     * when they come back, since SQLAlchemy's {@code dispose()} leaves borrowed connections alone but never reuses
     * them.
     */
    @Override
    public void dispose() {
        for (Held h : open) {
            if (h.retireIdle()) {
                closeQuietly(h);
            }
        }
        pool.softEvictConnections();
    }

    /** Closes HikariCP (which only aborts borrowed connections), then everything still open, borrowed included. */
    @Override
    public void close() {
        closed = true;
        dataSource.close();
        open.forEach(this::closeQuietly);
    }

    /**
     * The {@link HikariDataSource} (also as {@code HikariConfig}, {@code HikariConfigMXBean} or {@code DataSource})
     * or its {@code HikariPoolMXBean}, to inspect it or attach metrics. Do not borrow from it: such a connection
     * bypasses the engine's rules and counts.
     */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(dataSource)) {
            return type.cast(dataSource);
        }
        if (type.isInstance(pool)) {
            return type.cast(pool);
        }
        return PoolBackend.super.unwrap(type);
    }

    /** HikariCP's own reason to connect: more borrowers wait than connections are idle. */
    private boolean wanted() {
        HikariPoolMXBean p = pool;
        return !closed && (p == null || p.getThreadsAwaitingConnection() > p.getIdleConnections());
    }

    /** Opens a connection for HikariCP's adder thread, with {@code connectionInitSql} run and committed. */
    private Connection connect() throws SQLException {
        Held held = new Held(source.connect(), open);
        open.add(held);
        try {
            if (closed) {
                throw new SQLException("[" + poolName + "] the pool is closed", "08003");
            }
            if (initSql != null) {
                try (Statement s = held.delegate().createStatement()) {
                    s.execute(initSql);
                }
                held.delegate().commit();
            }
            return held;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(held);
            throw e;
        }
    }

    private void closeQuietly(Held h) {
        try {
            h.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] closing a connection failed", poolName, e);
        }
    }

    /**
     * What HikariCP holds for each connection: the engine's connection and its place in this store (idle in
     * HikariCP's bag, lent, or gone), so that {@link #dispose()} and a checkout never both take an idle connection.
     * HikariCP checks a connection idle for more than 500 ms with {@code isValid} before lending it; that is answered
     * from the place, with no round trip, since the engine pings only when {@code poolPrePing} asks for it (SQLAlchemy
     * without pre-ping lends a connection unchecked).
     */
    static final class Held extends DelegatingConnection {
        static final int IDLE = 0;
        static final int LENT = 1;
        static final int GONE = 2;
        private static final AtomicIntegerFieldUpdater<Held> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Held.class, "state");

        private final Set<Held> open;
        volatile int state;

        Held(Connection engineConnection, Set<Held> open) {
            super(engineConnection);
            this.open = open;
        }

        /** True when the caller may lend it; false when dispose() or close() took it first. */
        boolean lend() {
            return STATE.compareAndSet(this, IDLE, LENT);
        }

        /** True when it was idle: the caller closes it. */
        boolean retireIdle() {
            return STATE.compareAndSet(this, IDLE, GONE);
        }

        @Override
        public boolean isValid(int timeoutSeconds) {
            return state != GONE;
        }

        @Override
        public void close() throws SQLException {
            state = GONE;
            if (open.remove(this)) {
                delegate.close(); // closed once, by whichever thread (the caller's, HikariCP's closer) came first
            }
        }
    }
}
