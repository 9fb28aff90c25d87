package dev.athanor.pool.hikari;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;
import dev.athanor.spi.support.ConnectFailures;
import dev.athanor.spi.support.DelegatingConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hikari} store: a {@link HikariDataSource} that keeps, hands out, opens and closes connections while the
 * engine applies the pool's rules. Made by {@link HikariPoolProvider}; reach the native pool with
 * {@code engine.unwrap(HikariDataSource.class)} (or {@code HikariPoolMXBean.class}).
 *
 * <h2>How HikariCP is set up</h2>
 * {@code maximumPoolSize = poolSize + maxOverflow} (unlimited: {@link Integer#MAX_VALUE}), so HikariCP never stands
 * in the way of a checkout the engine let through; {@code minimumIdle 0} and {@code initializationFailTimeout -1}, so
 * it opens nothing until a checkout asks; {@code idleTimeout}, {@code maxLifetime} and {@code keepaliveTime} off, so
 * it retires nothing behind the engine's back; auto-commit off, as the engine's connections are.
 *
 * <h2>The store's operations</h2>
 * <ul>
 *   <li>{@code take()}: {@code getConnection()}. HikariCP opens connections on its own thread and retries a failed
 *       connect until its {@code connectionTimeout}, so it connects through {@link ConnectFailures}: the checkout
 *       borrows in slices of {@code connectionTimeout} (250 ms, HikariCP's floor) and after each slice takes the
 *       failure of a connect that began since it started, if there is one; otherwise a connect is still under way and
 *       it borrows again. So a failed connect reaches its checkout within one slice, and waiting for a connect is
 *       bounded by the driver's connect timeout, not by {@code poolTimeout}, as in SQLAlchemy.</li>
 *   <li>{@code keep(c)}: closes HikariCP's proxy, which puts the connection back in HikariCP's bag.</li>
 *   <li>{@code discard(c)}: closes the physical connection on the caller's thread (so {@code onClose} fires there and
 *       the server session is gone at once), then {@code evictConnection}, which frees HikariCP's entry at once.</li>
 *   <li>{@code dispose()}: closes the idle connections, then {@code softEvictConnections()} (see {@link #dispose()}).
 *       </li>
 *   <li>{@code close()}: closes HikariCP (which aborts borrowed connections), then closes whatever is still open,
 *       borrowed connections included.</li>
 * </ul>
 *
 * <p>Not SQLAlchemy's: HikariCP opens connections one at a time on its connection-adder thread (where
 * {@code onConnect} fires); after a failed connect it waits 10 ms, doubling up to 5 s, before it connects again while
 * checkouts still wait. Its bag hands a thread the connections it returned itself first, so no reuse order can be
 * chosen ({@code useLifo} is unsupported).
 */
public final class HikariPoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool.hikari");
    /** HikariCP's floor for {@code connectionTimeout}: the slice a checkout waits before it looks for a failure. */
    static final long SLICE_MILLIS = 250;

    private final String poolName;
    private final ConnectionSource source;
    private final String initSql;
    private final ConnectFailures failures;
    /** Every connection opened through HikariCP's data source and not closed yet, borrowed ones included. */
    private final Set<Held> open = ConcurrentHashMap.newKeySet();
    private final HikariDataSource dataSource;
    private final HikariPoolMXBean pool;
    /** Signalled when a slice ends: a pending failure may have been taken. */
    private final Object sliceEnded = new Object();
    private volatile boolean closed;

    HikariPoolBackend(PoolSpec spec, ConnectionSource source) {
        this.poolName = spec.poolName();
        this.source = source;
        this.initSql = HikariSettings.initSql(spec);
        this.failures = new ConnectFailures(this::connect);
        HikariConfig config = new HikariConfig();
        HikariSettings.apply(spec, config);
        config.setPoolName(spec.poolName());
        config.setDataSource(new Gate());
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
            } catch (SQLTransientConnectionException timedOut) {
                SQLException failed = failures.takeFailure(start);
                synchronized (sliceEnded) {
                    sliceEnded.notifyAll(); // a connect the gate held back may go ahead
                }
                if (failed != null) {
                    throw failed;
                }
                continue; // no connect of this checkout's has failed: one is still under way, so borrow again
            }
            if (proxy.unwrap(Held.class).lend()) {
                return proxy;
            }
            dataSource.evictConnection(proxy); // closed by dispose() just as HikariCP handed it out
        }
    }

    @Override
    public void keep(Connection connection) throws SQLException {
        connection.unwrap(Held.class).state = Held.IDLE;
        connection.close(); // HikariCP's proxy: the connection goes back to HikariCP's bag
        if (closed) {
            closeOpen(); // close() ran meanwhile: nothing may stay open
        }
    }

    @Override
    public void discard(Connection connection) {
        try {
            connection.unwrap(Held.class).close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] closing a discarded connection failed", poolName, e);
        }
        try {
            dataSource.evictConnection(connection);
        } catch (RuntimeException e) {
            LOG.debug("[{}] HikariCP could not evict {}", poolName, connection, e);
        }
    }

    /**
     * Closes the idle connections on the caller's thread (so {@code onClose} fires there and the engine's idle count
     * follows at once), then {@code softEvictConnections()}: HikariCP drops their entries and marks the borrowed
     * connections, which it closes when they come back, as SQLAlchemy's {@code dispose()} leaves borrowed
     * connections alone and never reuses them.
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

    @Override
    public void close() {
        closed = true;
        dataSource.close();
        closeOpen(); // borrowed connections HikariCP only aborted, and any connect that finished meanwhile
    }

    /**
     * The {@link HikariDataSource} (also as {@code HikariConfig}, {@code HikariConfigMXBean} or {@code DataSource})
     * or its {@code HikariPoolMXBean}, to inspect it or attach metrics. Do not borrow from it: such a connection
     * bypasses the engine's rules and counts. Borrow with {@code engine.connect()} or {@code engine.dataSource()}.
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

    @Override
    public String toString() {
        return "HikariPoolBackend[" + poolName + ": " + pool.getTotalConnections() + " open, "
                + pool.getIdleConnections() + " idle in HikariCP]";
    }

    /** Opens a connection for HikariCP's adder thread, with {@code connectionInitSql} run and committed. */
    private Connection connect() throws SQLException {
        Connection c = source.connect();
        Held held = new Held(c, open);
        open.add(held);
        try {
            if (closed) {
                throw new SQLException("[" + poolName + "] the pool is closed", "08003");
            }
            if (initSql != null) {
                try (Statement s = c.createStatement()) {
                    s.execute(initSql);
                }
                c.commit();
            }
            return held;
        } catch (SQLException | RuntimeException e) {
            try {
                held.close();
            } catch (SQLException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** HikariCP's own test for opening a connection: more borrowers wait than connections are idle. */
    private boolean needed() {
        HikariPoolMXBean p = pool;
        return !closed && (p == null || p.getThreadsAwaitingConnection() > p.getIdleConnections());
    }

    /**
     * A connect for HikariCP's adder thread, through {@link ConnectFailures}, held back while a failure waits to be
     * taken and refused when no borrower needs it any more. ConnectFailures would fail HikariCP's retries at once
     * while a failure waits, and each failure doubles the adder's pause (up to 5 s), so the first connect after the
     * database came back could wait seconds; held back, only real failures count. A connect that finishes after its
     * borrower was served by a returned connection is closed, or it would stay idle in HikariCP unseen by the
     * engine's idle cap. A refusal is no connect failure: it is not handed to any checkout.
     */
    private Connection gatedConnect() throws SQLException {
        synchronized (sliceEnded) {
            while (failures.hasPendingFailure() && needed()) {
                try {
                    sliceEnded.wait(SLICE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // HikariCP's shutdown: give up
                    throw new SQLException("[" + poolName + "] connect interrupted", "08001", e);
                }
            }
        }
        if (!needed()) {
            throw notNeeded();
        }
        Connection c = failures.dataSource().getConnection();
        if (!needed()) {
            c.close();
            throw notNeeded();
        }
        return c;
    }

    private SQLException notNeeded() {
        return new SQLException("[" + poolName + "] no checkout waits for this connect any more", "08001");
    }

    private void closeOpen() {
        open.forEach(this::closeQuietly);
    }

    private void closeQuietly(Held h) {
        try {
            h.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] closing a connection failed", poolName, e);
        }
    }

    /** The data source HikariCP connects with: {@link #gatedConnect()}; credentials come from the engine. */
    private final class Gate implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return gatedConnect();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return failures.dataSource().getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return failures.dataSource().getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            failures.dataSource().setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            failures.dataSource().setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return failures.dataSource().getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return failures.dataSource().getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return failures.dataSource().unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return failures.dataSource().isWrapperFor(type);
        }
    }

    /**
     * What HikariCP holds for each connection: the engine's connection, with its place in this store ({@link #IDLE}
     * in HikariCP's bag, {@link #LENT}, {@link #GONE}), so that {@link #dispose()} and a checkout never both take the
     * same idle connection. Its alive check is answered from that place, with no round trip: HikariCP checks a
     * connection idle for more than 500 ms with {@code isValid(...)} before lending it, but the engine pings
     * connections itself when {@code poolPrePing} asks for it, and SQLAlchemy without pre-ping lends a connection
     * unchecked.
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

        /** True when this checkout may lend it; false when dispose() or close() took it first. */
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
                delegate.close(); // the engine's connection: closed once, by whichever thread got here first
            }
        }
    }
}
