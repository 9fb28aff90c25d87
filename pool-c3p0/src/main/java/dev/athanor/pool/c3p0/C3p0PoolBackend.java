package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.support.ConnectFailures;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The store over a c3p0 pool ({@link C3p0PoolProvider} has its settings). {@link #take()} returns c3p0's proxy, which
 * unwraps to the engine's connection. Thread-safe.
 *
 * <p>c3p0 keeps its pool at the largest size it ever reached and opens connections to refill it whenever it loses one
 * (a discarded connection, {@link #dispose()}). The engine must not hold connections it does not count, so c3p0
 * connects through a gate: a connect goes through only while more checkouts wait inside c3p0 than there are
 * connections to serve them (idle ones the store kept, connections opened and not handed out yet, connects under
 * way); otherwise it fails without reaching the database, and c3p0 gives up that refill. A connection that opens after
 * its checkout was served by a returned one is closed at once or, when that race is lost, shortly after by
 * {@link #reconcile()}, the one thing the adapter runs on a thread of its own.
 */
final class C3p0PoolBackend implements PoolBackend {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(C3p0PoolBackend.class);
    private static final long RECONCILE_MILLIS = 50;
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "athanor-c3p0-reconcile");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setKeepAliveTime(1, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
    }

    private final String name;
    private final PoolBackedDataSource pool;
    private final ConnectFailures failures;
    private final DataSource gate = new Gate();
    /** Engine connections c3p0 holds, borrowed ones too: {@link #close()} closes them. */
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Kept idle by {@link #keep} and not handed out since. */
    private final Set<Connection> kept = ConcurrentHashMap.newKeySet();
    /** Opened through the gate and not handed out yet. */
    private final Set<Connection> fresh = ConcurrentHashMap.newKeySet();
    private int connecting; // guarded by gate
    private volatile boolean closed;

    C3p0PoolBackend(String name, ConnectionSource source, PoolBackedDataSource pool) {
        this.name = name;
        this.pool = pool;
        this.failures = new ConnectFailures(source::connect);
    }

    /** The data source c3p0 opens connections from. */
    DataSource connections() {
        return gate;
    }

    /** True when no checkout waiting inside c3p0 lacks a connection (or a connect under way) to serve it. */
    private boolean served() {
        try {
            return pool.getNumThreadsAwaitingCheckoutDefaultUser() <= live(kept) + live(fresh) + connecting;
        } catch (SQLException e) {
            return false;
        }
    }

    private static int live(Set<Connection> connections) {
        int n = 0;
        for (Connection c : connections) {
            n += isClosed(c) ? 0 : 1;
        }
        return n;
    }

    private Connection connect() throws SQLException {
        synchronized (gate) {
            if (closed || served()) {
                throw new Refused(name);
            }
            connecting++;
        }
        Connection c = null;
        try {
            c = failures.dataSource().getConnection();
            open.add(c);
        } finally {
            synchronized (gate) {
                connecting--;
                if (c != null) {
                    fresh.add(c);
                }
            }
        }
        if (closed) {
            discardPhysical(c);
            throw closedFailure();
        }
        TIMER.schedule(this::reconcile, RECONCILE_MILLIS, TimeUnit.MILLISECONDS);
        return c;
    }

    /**
     * Closes connections opened for checkouts that were served otherwise after c3p0 pooled them: idle in c3p0 with
     * nobody waiting, they would be open without the engine counting them. c3p0 keeps each as a closed idle entry,
     * which {@link #take()} drops. While checkouts still wait, they are about to take it: look again later.
     */
    private void reconcile() {
        if (closed || fresh.isEmpty()) {
            return;
        }
        try {
            if (pool.getNumThreadsAwaitingCheckoutDefaultUser() == 0) {
                for (Connection c : fresh) {
                    if (fresh.remove(c)) {
                        discardPhysical(c);
                    }
                }
                return;
            }
        } catch (SQLException e) {
            LOG.debug("[{}] c3p0 did not report its waiting checkouts", name, e);
        }
        TIMER.schedule(this::reconcile, RECONCILE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Borrows from c3p0, which hands out an idle connection or connects on a helper thread. c3p0 fails every checkout
     * waiting when a connect fails (or the gate refuses one), so the wait is cut in slices ({@code checkoutTimeout}):
     * after each one that ends without a connection, a failed connect begun since this checkout started is this
     * checkout's to throw; otherwise it borrows again.
     */
    @Override
    public Connection take() throws SQLException {
        long start = System.nanoTime();
        while (!closed) {
            long slice = System.nanoTime();
            Connection proxy;
            try {
                proxy = pool.getConnection();
            } catch (SQLException e) {
                SQLException failed = failures.takeFailure(start);
                if (failed != null) {
                    throw failed;
                }
                if (interrupted(e)) {
                    throw e;
                }
                if (System.nanoTime() - slice < TimeUnit.MILLISECONDS.toNanos(C3p0PoolProvider.SLICE_MILLIS / 2)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // c3p0 is failing its waiters: let it
                }
                continue;
            }
            Connection c = proxy.unwrap(Connection.class);
            if ((kept.remove(c) | fresh.remove(c)) && !isClosed(c)) {
                return proxy;
            }
            discard(proxy); // reconcile() took it: c3p0 drops the entry at checkin
        }
        throw closedFailure();
    }

    private static boolean interrupted(SQLException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    /** Checks c3p0's proxy in; c3p0 keeps it idle before this returns ({@code forceSynchronousCheckins}). */
    @Override
    public void keep(Connection connection) throws SQLException {
        if (closed) {
            discard(connection);
            return;
        }
        kept.add(connection.unwrap(Connection.class));
        connection.close();
    }

    /** Closes the engine's connection, then checks c3p0's proxy in: {@link EngineConnectionTester} makes c3p0 drop it. */
    @Override
    public void discard(Connection connection) {
        try {
            discardPhysical(connection.unwrap(Connection.class));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] c3p0's proxy did not unwrap; c3p0 closes the connection", name, e);
        }
        closeQuietly(connection);
    }

    private void discardPhysical(Connection c) {
        open.remove(c);
        closeQuietly(c);
    }

    /** c3p0's soft reset: it closes its idle connections now, borrowed ones when they come back. */
    @Override
    public void dispose() {
        try {
            pool.softResetAllUsers();
            kept.clear();
        } catch (SQLException e) {
            LOG.warn("[{}] c3p0 could not close its idle connections: {}", name, e.toString());
        }
    }

    /** Closes c3p0 (its threads stop) and every connection it holds, now. */
    @Override
    public void close() {
        closed = true;
        try {
            pool.close();
        } catch (RuntimeException e) {
            LOG.warn("[{}] c3p0 failed to close: {}", name, e.toString());
        }
        open.forEach(this::discardPhysical);
    }

    /** {@link PoolBackedDataSource} (or {@code PooledDataSource}), or its {@code WrapperConnectionPoolDataSource}. */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(pool)) {
            return type.cast(pool);
        }
        Object configuration = pool.getConnectionPoolDataSource();
        return type.isInstance(configuration) ? type.cast(configuration) : PoolBackend.super.unwrap(type);
    }

    private SQLException closedFailure() {
        return new SQLException("[" + name + "] the c3p0 pool is closed", "08003");
    }

    @Override
    public String toString() {
        return "C3p0PoolBackend[" + name + "]";
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false; // the engine's checks find out
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: nothing more can be done if closing fails too.
        }
    }

    /** A refill refused by the gate: expected, so without a stack trace (c3p0 logs it at WARNING). */
    private static final class Refused extends SQLException {
        private static final long serialVersionUID = 1L;

        Refused(String name) {
            super("[" + name + "] Athanor refused c3p0's refill: no checkout waits for a new connection", "08001");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** What c3p0 connects through: {@link #connect()}. */
    private final class Gate implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return connect();
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
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no java.util.logging logger");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("not a wrapper for " + type.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
