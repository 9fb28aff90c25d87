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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hikari} store: a {@link HikariDataSource} keeps, hands out, opens and closes the connections; the engine
 * applies the pool's rules. HikariCP is set up never to stand in the way: {@code maximumPoolSize} is
 * {@code poolSize + maxOverflow}, {@code minimumIdle 0} and {@code initializationFailTimeout -1} (nothing opened until
 * a checkout asks), {@code idleTimeout}, {@code maxLifetime} and {@code keepaliveTime} off (nothing retired behind the
 * engine's back), auto-commit off.
 *
 * <p>HikariCP connects on its own adder thread and retries a failed connect until its {@code connectionTimeout}, so
 * it connects through {@link ConnectFailures}: {@link #take()} borrows in slices of {@code connectionTimeout} (250 ms,
 * HikariCP's floor) and after each takes the failure of a connect begun since the checkout began; without one, a
 * connect is still under way and it borrows again. So a failed connect reaches its checkout within one slice, and the
 * wait for a connect is bounded by the driver's connect timeout, not {@code poolTimeout}, as in SQLAlchemy. A connect
 * no borrower waits for any more is refused: it would sit idle in HikariCP unseen by the engine's idle cap.
 *
 * <p>Not SQLAlchemy's: new connections open one at a time on the adder thread (where {@code onConnect} fires); after
 * a failed connect HikariCP pauses 10 ms, doubling up to 5 s, before it connects again while checkouts still wait.
 */
public final class HikariPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.hikari");
    private static final int IDLE = 0;
    private static final int LENT = 1;
    private static final int GONE = 2;

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
        HikariConfig config = new HikariConfig();
        this.initSql = HikariPoolProvider.apply(spec, config);
        config.setPoolName(spec.poolName());
        config.setDataSource(failures.dataSource());
        config.setMaximumPoolSize(spec.maxConnections());
        config.setMinimumIdle(0);
        config.setIdleTimeout(0);
        config.setMaxLifetime(0);
        config.setKeepaliveTime(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250); // HikariCP's floor: the slice a checkout waits before it looks for a failure
        // HikariCP sets its auto-commit on each new connection: the engine's (on only for an AUTOCOMMIT engine).
        config.setAutoCommit(spec.isolationLevel() != null && spec.isolationLevel().isAutocommit());
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
            if (proxy.unwrap(Held.class).state.compareAndSet(IDLE, LENT)) {
                return proxy;
            }
            dataSource.evictConnection(proxy); // dispose() closed it just as HikariCP handed it out
        }
    }

    /** Closes HikariCP's proxy: the connection goes back to HikariCP's bag. */
    @Override
    public void keep(Connection connection) throws SQLException {
        connection.unwrap(Held.class).state.set(IDLE);
        connection.close();
        if (closed) {
            open.forEach(this::closeQuietly); // close() ran meanwhile: nothing may stay open
        }
    }

    /** Closes the connection on the caller's thread ({@code onClose} fires there), then evicts HikariCP's entry. */
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
     * Closes the idle connections on the caller's thread (the engine's idle count follows at once), then
     * {@code softEvictConnections()}: HikariCP drops their entries and closes borrowed ones when they come back.
     */
    @Override
    public void dispose() {
        for (Held h : open) {
            if (h.state.compareAndSet(IDLE, GONE)) {
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

    /** The {@link HikariDataSource} (or a type it implements) or its {@link HikariPoolMXBean}; never borrow from it. */
    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isInstance(dataSource) ? type.cast(dataSource)
                : type.isInstance(pool) ? type.cast(pool) : PoolBackend.super.unwrap(type);
    }

    /** HikariCP's own reason to connect: more borrowers wait than connections are idle. */
    private boolean wanted() {
        HikariPoolMXBean p = pool;
        return !closed && (p == null || p.getThreadsAwaitingConnection() > p.getIdleConnections());
    }

    /** Opens a connection for HikariCP's adder thread, with {@code connectionInitSql} run and committed. */
    private Connection connect() throws SQLException {
        Held held = new Held(source.connect());
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
     * What HikariCP holds: the engine's connection and its place here (idle, lent, gone), so that {@link #dispose()}
     * and a checkout never both take an idle connection. HikariCP's {@code isValid} before lending a connection idle
     * over 500 ms is answered from the place, with no round trip: the engine pings only with {@code poolPrePing}.
     */
    private final class Held extends DelegatingConnection {
        final AtomicInteger state = new AtomicInteger(IDLE);

        Held(Connection engineConnection) {
            super(engineConnection);
        }

        @Override
        public boolean isValid(int timeoutSeconds) {
            return state.get() != GONE;
        }

        @Override
        public void close() throws SQLException {
            state.set(GONE);
            if (open.remove(this)) {
                delegate.close(); // closed once, by whichever thread (the caller's, HikariCP's closer) came first
            }
        }
    }
}
