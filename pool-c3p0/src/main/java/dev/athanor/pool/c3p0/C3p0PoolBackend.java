package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.support.ConnectFailures;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over a c3p0 pool (see {@link C3p0PoolProvider} for its settings). What {@link #take()} returns is c3p0's
 * proxy; it unwraps to the engine's connection, which is what c3p0 got from {@link #connections()}. Thread-safe.
 */
final class C3p0PoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger(C3p0PoolBackend.class);

    private final String name;
    private final PoolBackedDataSource pool;
    private final ConnectFailures failures;
    /** Every engine connection c3p0 opened and that is not closed yet, borrowed ones too: {@link #close()}. */
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Checkouts waiting inside c3p0 now, and connects let through for them not yet handed out: {@link #connect}. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger owed = new AtomicInteger();
    private volatile boolean closed;

    C3p0PoolBackend(String name, ConnectionSource source, PoolBackedDataSource pool) {
        this.name = name;
        this.pool = pool;
        this.failures = new ConnectFailures(() -> connect(source));
    }

    /** The data source c3p0 opens connections from. */
    DataSource connections() {
        return failures.dataSource();
    }

    /**
     * Opens a connection for c3p0, but only while a checkout waits inside c3p0 with no connect under way for it.
     * c3p0 keeps its pool at the largest size it reached and reopens what it loses (a connection the engine discarded,
     * or closed by {@link #dispose()}) at once; those connects are refused here, without reaching the database, so
     * that c3p0 never holds a connection nobody asked for; one that nobody waits for any more once it is open is closed
     * again. c3p0 then fails the checkouts waiting at that moment,
     * which borrow again ({@link #take()}).
     */
    private Connection connect(ConnectionSource source) throws SQLException {
        int now;
        do {
            now = owed.get();
            if (now >= waiting.get()) {
                throw new Unneeded();
            }
        } while (!owed.compareAndSet(now, now + 1));
        Connection c;
        try {
            c = source.connect();
        } catch (SQLException | RuntimeException e) {
            paid();
            throw e;
        }
        open.add(c);
        if (closed || waiting.get() <= idleInC3p0()) {
            // close() ran meanwhile, or the checkout it was for got a connection returned meanwhile (any checkout
            // waiting in c3p0 takes any idle connection first): kept, it would be idle without the engine knowing.
            discardPhysical(c);
            paid();
            throw closed ? closedFailure() : new Unneeded();
        }
        return c;
    }

    private int idleInC3p0() {
        try {
            return pool.getNumIdleConnectionsDefaultUser();
        } catch (SQLException e) {
            return 0;
        }
    }

    /** One connect let through is settled: it failed, or a waiting checkout got a connection. */
    private void paid() {
        owed.getAndUpdate(n -> Math.max(0, n - 1));
    }

    /** A connect refused because no checkout needs it. */
    private static final class Unneeded extends SQLException {
        private static final long serialVersionUID = 1L;

        Unneeded() {
            super("no checkout is waiting for this connection (c3p0 refilling its pool)", "08001");
        }
    }

    /**
     * Borrows from c3p0, which hands out an idle connection or opens one on a helper thread. c3p0 reports a failed
     * connect to every checkout waiting at that moment, and none of them necessarily to the one that asked, so the
     * wait is cut in slices ({@code checkoutTimeout}): after each one that ends without a connection, the failure of
     * a connect begun since this checkout started is this checkout's to throw; otherwise it borrows again.
     */
    @Override
    public Connection take() throws SQLException {
        long start = System.nanoTime();
        while (true) {
            if (closed) {
                throw closedFailure();
            }
            long slice = System.nanoTime();
            waiting.incrementAndGet();
            try {
                Connection c = pool.getConnection();
                paid();
                return c;
            } catch (SQLException e) {
                SQLException failed = failures.takeFailure(start);
                if (failed != null && !(failed instanceof Unneeded)) {
                    throw failed;
                }
                if (interrupted(e)) {
                    throw e;
                }
                if (System.nanoTime() - slice < TimeUnit.MILLISECONDS.toNanos(C3p0PoolProvider.SLICE_MILLIS / 2)) {
                    // c3p0 refused at once: it is failing the checkouts that waited for a failed connect. Let it.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    private static boolean interrupted(SQLException e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return false;
    }

    /** Closing c3p0's proxy checks the connection back in; c3p0 keeps it idle (synchronous checkins). */
    @Override
    public void keep(Connection connection) throws SQLException {
        if (closed) {
            discard(connection);
            return;
        }
        connection.close();
    }

    /**
     * Closes the engine's connection here and now, then checks c3p0's proxy in: {@link EngineConnectionTester} finds
     * the connection closed and c3p0 destroys its entry instead of pooling it.
     */
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

    /** c3p0's soft reset: idle connections are closed now, borrowed ones when they come back. */
    @Override
    public void dispose() {
        try {
            pool.softResetAllUsers();
        } catch (SQLException e) {
            LOG.warn("[{}] c3p0 could not close its idle connections: {}", name, e.toString());
        }
    }

    /** Closes c3p0 (its threads stop, it destroys its connections in the background) and every connection now. */
    @Override
    public void close() {
        closed = true;
        try {
            pool.close();
        } catch (RuntimeException e) {
            LOG.warn("[{}] c3p0 failed to close: {}", name, e.toString());
        }
        for (Connection c : open) {
            discardPhysical(c);
        }
    }

    /** The native pool: {@link PoolBackedDataSource} (also as {@code PooledDataSource}) or its configuration ({@code WrapperConnectionPoolDataSource}). */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(pool)) {
            return type.cast(pool);
        }
        Object configuration = pool.getConnectionPoolDataSource();
        if (type.isInstance(configuration)) {
            return type.cast(configuration);
        }
        return PoolBackend.super.unwrap(type);
    }

    private SQLException closedFailure() {
        return new SQLException("[" + name + "] the c3p0 pool is closed", "08003");
    }

    @Override
    public String toString() {
        return "C3p0PoolBackend[" + name + "]";
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: nothing more can be done if closing fails too.
        }
    }
}
