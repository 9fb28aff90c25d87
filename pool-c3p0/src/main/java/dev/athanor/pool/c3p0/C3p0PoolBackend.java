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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over a c3p0 pool ({@link C3p0PoolProvider} has its settings). {@link #take()} returns c3p0's proxy, which
 * unwraps to the engine's connection. Thread-safe.
 *
 * <p>c3p0 keeps its pool at the largest size it reached and refills it whenever it loses a connection (discarded, or
 * closed by {@link #dispose()}); the engine must not have connections open that it does not count. So c3p0 connects
 * through a gate: a connect goes through only while more checkouts wait inside c3p0 than there are connections to
 * serve them (kept idle, opened and not handed out yet, or being opened), and otherwise fails without reaching the
 * database. A connection opened for a checkout that a returned connection served meanwhile is closed by
 * {@link #reconcile()} once nobody waits in c3p0: it would be idle without the engine knowing.
 */
final class C3p0PoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger(C3p0PoolBackend.class);
    /** Runs {@link #reconcile()} a little later, on the common pool. */
    private static final Executor LATER = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

    private final String name;
    private final PoolBackedDataSource pool;
    private final ConnectFailures failures;
    private final DataSource gate = new Gate();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet(); // borrowed too: close() closes them
    private final Set<Connection> kept = ConcurrentHashMap.newKeySet(); // kept idle, not handed out since
    private final Set<Connection> fresh = ConcurrentHashMap.newKeySet(); // opened, not handed out yet
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

    private Connection connect() throws SQLException {
        synchronized (gate) {
            if (closed || awaiting() <= live(kept) + live(fresh) + connecting) {
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
        LATER.execute(this::reconcile);
        return c;
    }

    /**
     * Closes the fresh connections once no checkout waits in c3p0 (one that waits is about to take them). c3p0 keeps
     * each as a closed idle entry, which {@link #take()} drops.
     */
    private void reconcile() {
        if (closed || fresh.isEmpty()) {
            return;
        }
        if (awaiting() > 0) {
            LATER.execute(this::reconcile);
            return;
        }
        fresh.forEach(c -> {
            if (fresh.remove(c)) {
                discardPhysical(c);
            }
        });
    }

    private int awaiting() {
        try {
            return pool.getNumThreadsAwaitingCheckoutDefaultUser();
        } catch (SQLException e) {
            return 0;
        }
    }

    private static int live(Set<Connection> connections) {
        return (int) connections.stream().filter(c -> !isClosed(c)).count();
    }

    /**
     * Borrows from c3p0. c3p0 fails every waiting checkout when a connect fails (or the gate refuses one), so the wait
     * is cut in slices ({@code checkoutTimeout}): after each one that ends without a connection, a failed connect begun
     * since this checkout started is this checkout's to throw; otherwise it borrows again.
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
            discard(proxy); // reconcile() claimed it: c3p0 drops the entry at checkin
        }
        throw new SQLException("[" + name + "] the c3p0 pool is closed", "08003");
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

    /** Closes the engine's connection, then checks c3p0's proxy in; {@link EngineConnectionTester} drops it. */
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
        Object configuration = pool.getConnectionPoolDataSource();
        return type.isInstance(pool) ? type.cast(pool)
                : type.isInstance(configuration) ? type.cast(configuration) : PoolBackend.super.unwrap(type);
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

    /** A refill the gate refused: expected, so c3p0 logs it without a stack trace. */
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
        private DataSource d() {
            return failures.dataSource();
        }

        @Override public Connection getConnection() throws SQLException { return connect(); }
        @Override public PrintWriter getLogWriter() throws SQLException { return d().getLogWriter(); }
        @Override public void setLogWriter(PrintWriter out) throws SQLException { d().setLogWriter(out); }
        @Override public void setLoginTimeout(int seconds) throws SQLException { d().setLoginTimeout(seconds); }
        @Override public int getLoginTimeout() throws SQLException { return d().getLoginTimeout(); }
        @Override public <T> T unwrap(Class<T> type) throws SQLException { return d().unwrap(type); }
        @Override public boolean isWrapperFor(Class<?> type) throws SQLException { return d().isWrapperFor(type); }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return d().getConnection(user, password);
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}
