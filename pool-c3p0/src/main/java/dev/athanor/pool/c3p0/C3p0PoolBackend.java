package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;
import dev.athanor.spi.support.ConnectFailures;

import java.beans.PropertyVetoException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over a c3p0 pool; {@link #take()} returns c3p0's proxy. c3p0 is set up never to stand in the engine's way:
 * room for {@code poolSize + maxOverflow} connections, none opened up front, one per need, one connect attempt whose
 * failure reaches the checkout that waited for it; no expiry, tests or transaction handling of its own but a check at
 * checkin that drops what the engine discarded ({@link EngineConnectionTester}); synchronous checkins.
 *
 * <p>c3p0 refills its pool to the largest size it reached whenever it loses a connection, but the engine must count
 * every open connection. So c3p0 connects through a gate: a connect goes through only while more checkouts are
 * borrowing from c3p0 (counted here: c3p0's own count of waiting threads lags its hand-offs) than there are
 * connections to serve them (kept idle, opened and not handed out yet, or being opened), and otherwise fails without
 * reaching the database. A connection opened for a checkout that a returned connection served meanwhile is closed by
 * {@link #reconcile()} once no checkout is borrowing.
 */
final class C3p0PoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger(C3p0PoolBackend.class);
    private static final Executor LATER = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);
    private static final AtomicLong IDENTITY = new AtomicLong();
    /** How long one wait in c3p0 lasts before the checkout looks for a failed connect of its own. */
    private static final int SLICE_MILLIS = 200;

    private final String name;
    private final PoolBackedDataSource pool;
    private final ConnectFailures failures;
    private final DataSource gate = new Gate();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet(); // borrowed too: close() closes them
    private final Set<Connection> kept = ConcurrentHashMap.newKeySet(); // kept idle, not handed out since
    private final Set<Connection> fresh = ConcurrentHashMap.newKeySet(); // opened, not handed out yet
    private int connecting; // guarded by gate
    /** Checkouts inside {@link #take()} now: c3p0's own count of waiting threads lags a hand-off. Guarded by gate. */
    private volatile int borrowing;
    private volatile boolean closed;

    C3p0PoolBackend(PoolSpec spec, ConnectionSource source) {
        this.name = spec.poolName();
        this.failures = new ConnectFailures(source::connect);
        this.pool = new PoolBackedDataSource(false);
        WrapperConnectionPoolDataSource c = new WrapperConnectionPoolDataSource(false);
        // Unregistered c3p0 beans get no identity token, and c3p0's DEBUG logging then fails in their hashCode().
        String token = name + "-" + IDENTITY.incrementAndGet();
        c.setIdentityToken(token + "-source");
        pool.setIdentityToken(token + "-pool");
        try {
            c.setNestedDataSource(gate);
            c.setInitialPoolSize(0);
            c.setMinPoolSize(0);
            c.setAcquireIncrement(1);
            c.setMaxPoolSize(spec.maxConnections());
            c.setCheckoutTimeout(SLICE_MILLIS);
            c.setMaxIdleTime(0);
            c.setMaxIdleTimeExcessConnections(0);
            c.setMaxConnectionAge(0);
            c.setIdleConnectionTestPeriod(0);
            c.setTestConnectionOnCheckout(false);
            c.setTestConnectionOnCheckin(true);
            c.setConnectionTesterClassName(EngineConnectionTester.class.getName());
            c.setPreferredTestQuery(null);
            c.setAutomaticTestTable(null);
            c.setAttemptResurrectOnCheckin(false);
            c.setAutoCommitOnClose(false);
            c.setForceIgnoreUnresolvedTransactions(true);
            c.setForceSynchronousCheckins(true);
            c.setAcquireRetryAttempts(0); // one attempt in c3p0 0.14, whatever its documentation says of zero
            c.setBreakAfterAcquireFailure(false);
            c.setMarkSessionBoundaries("never");
            c.setUnreturnedConnectionTimeout(0);
            pool.setDataSourceName(name);
            pool.setNumHelperThreads(3);
            pool.setConnectionPoolDataSource(c);
        } catch (PropertyVetoException e) {
            throw new IllegalStateException("[" + name + "] c3p0 refused a setting: " + e.getMessage(), e);
        }
        C3p0PoolProvider.apply(spec.backendProperties(), c, pool);
    }

    private Connection connect() throws SQLException {
        synchronized (gate) {
            if (closed || borrowing <= live(kept) + live(fresh) + connecting) {
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

    /** Once no checkout is borrowing, closes the fresh connections; {@link #take()} drops their entries. */
    private void reconcile() {
        if (closed || fresh.isEmpty()) {
            return;
        }
        if (borrowing > 0) {
            LATER.execute(this::reconcile);
            return;
        }
        fresh.forEach(c -> {
            if (fresh.remove(c)) {
                closeQuietly(c);
            }
        });
    }


    private static int live(Set<Connection> connections) {
        return (int) connections.stream().filter(c -> !isClosed(c)).count();
    }

    /**
     * Borrows from c3p0 in slices ({@code checkoutTimeout}): c3p0 fails every waiter when a connect fails or the gate
     * refuses one, so after an empty slice it throws a failed connect begun since it started, or borrows again.
     */
    @Override
    public Connection take() throws SQLException {
        long start = System.nanoTime();
        while (!closed) {
            long slice = System.nanoTime();
            Connection proxy;
            synchronized (gate) {
                borrowing++;
            }
            try {
                proxy = pool.getConnection();
            } catch (SQLException e) {
                synchronized (gate) {
                    borrowing--;
                }
                SQLException failed = failures.takeFailure(start);
                if (failed != null) {
                    throw failed;
                }
                if (interrupted(e)) {
                    throw e;
                }
                if (System.nanoTime() - slice < TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS / 2)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // c3p0 is failing its waiters: let it
                }
                continue;
            }
            Connection c = proxy.unwrap(Connection.class);
            boolean claimed;
            synchronized (gate) { // one step for the gate: no longer borrowing, and the connection no longer spare
                borrowing--;
                claimed = kept.remove(c) | fresh.remove(c);
            }
            if (claimed) {
                return proxy; // closed or not: a dead one is the engine's to find (pre-ping) and to report
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
            closeQuietly(connection.unwrap(Connection.class));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] c3p0's proxy did not unwrap; c3p0 closes the connection", name, e);
        }
        closeQuietly(connection);
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
        open.forEach(this::closeQuietly);
    }

    /** {@link PoolBackedDataSource} (or {@code PooledDataSource}), or its {@code WrapperConnectionPoolDataSource}. */
    @Override
    public <T> T unwrap(Class<T> type) {
        Object configuration = pool.getConnectionPoolDataSource();
        return type.isInstance(pool) ? type.cast(pool)
                : type.isInstance(configuration) ? type.cast(configuration) : PoolBackend.super.unwrap(type);
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException | RuntimeException e) {
            return false; // the engine's checks find out
        }
    }

    /** Forgets and closes a connection (or a proxy, which checks it in); a failure to close is ignored. */
    private void closeQuietly(Connection c) {
        open.remove(c);
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: nothing more can be done if closing fails too.
        }
    }

    /** A refill the gate refused: expected, so c3p0 logs it without a stack trace. */
    private static final class Refused extends SQLException {
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
