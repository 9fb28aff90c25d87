package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.PoolStatus;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.internal.pool.CheckoutSlots;
import dev.athanor.internal.pool.StatusSnapshot;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.PooledConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A c3p0 pool ({@link PoolBackedDataSource} over a {@link WrapperConnectionPoolDataSource} whose nested data source is
 * the engine's {@link ConnectionSource}) behind Athanor's QueuePool rules. See {@link C3p0PoolProvider} for how each
 * option maps to c3p0 and what the adapter enforces itself.
 *
 * <p>The connections handed out are c3p0's proxies; they unwrap to the engine's physical connection. Thread-safe.
 */
public final class C3p0PoolBackend implements PoolBackend {
    private static final Logger LOG = LoggerFactory.getLogger(C3p0PoolBackend.class);

    private final PoolSpec spec;
    private final String name;
    private final WrapperConnectionPoolDataSource poolSource;
    private final PoolBackedDataSource dataSource;
    private final Capabilities capabilities;
    /** Checkouts allowed at once ({@code poolSize + maxOverflow}), waiters in arrival order. */
    private final CheckoutSlots slots;
    private final int maxIdle;
    private final boolean fifo;
    private final AtomicInteger checkedOut = new AtomicInteger();
    private final ConcurrentHashMap<Connection, Lease> leases = new ConcurrentHashMap<>();
    /** Checkins that keep a connection run one at a time, so the idle count read is the one the decision sees. */
    private final ReentrantLock checkinLock = new ReentrantLock();
    private final Object generationLock = new Object();
    private volatile PoolGeneration generation;
    private volatile boolean closed;

    private record Lease(PooledConnection pooled, PoolGeneration generation) {
    }

    C3p0PoolBackend(PoolSpec spec, WrapperConnectionPoolDataSource poolSource, PoolBackedDataSource dataSource,
                    Capabilities capabilities) {
        this.spec = spec;
        this.name = spec.poolName();
        this.poolSource = poolSource;
        this.dataSource = dataSource;
        this.capabilities = capabilities;
        this.slots = new CheckoutSlots(spec);
        this.maxIdle = spec.maxIdle();
        this.fifo = !spec.useLifo();
    }

    @Override
    public Connection checkout() throws SQLException {
        if (closed) {
            throw new SQLException("[" + name + "] the c3p0 pool is closed", "08003");
        }
        slots.take();
        boolean handedOut = false;
        try {
            while (true) {
                PoolGeneration g = generation();
                PooledConnection pooled;
                try {
                    pooled = g.checkout();
                } catch (SQLException e) {
                    if (g.retired() && !closed) {
                        continue; // dispose() replaced the pool while this checkout waited in it
                    }
                    g.settleTarget();
                    throw C3p0Errors.connectFailure(e);
                }
                Connection c = pooled.getConnection();
                leases.put(c, new Lease(pooled, g));
                checkedOut.incrementAndGet();
                handedOut = true;
                return c;
            }
        } finally {
            if (!handedOut) {
                slots.release();
            }
        }
    }

    private PoolGeneration generation() throws SQLException {
        PoolGeneration g = generation;
        if (g != null) {
            return g;
        }
        synchronized (generationLock) {
            if (closed) {
                throw new SQLException("[" + name + "] the c3p0 pool is closed", "08003");
            }
            if (generation == null) {
                generation = PoolGeneration.start(dataSource, name);
            }
            return generation;
        }
    }

    @Override
    public void checkin(Connection c) throws SQLException {
        Lease lease = leases.remove(c);
        if (lease == null) {
            LOG.warn("[{}] a connection this pool did not hand out was returned; closing it", name);
            closeQuietly(c);
            return;
        }
        checkedOut.decrementAndGet();
        try {
            PoolGeneration g = lease.generation();
            if (g.retired()) {
                c.close(); // the retired c3p0 pool closes it
                return;
            }
            boolean keep = restoreAutoCommit(c);
            if (keep) {
                checkinLock.lock();
                try {
                    keep = g.idleSoon() < maxIdle;
                    if (keep) {
                        c.close(); // c3p0 takes it back synchronously (forceSynchronousCheckins)
                        if (fifo) {
                            g.moveToBack(lease.pooled());
                        }
                    }
                } finally {
                    checkinLock.unlock();
                }
            }
            if (!keep) {
                discard(c, lease);
            }
        } finally {
            slots.release();
        }
    }

    /** A borrower may have turned auto-commit on through {@code jdbc()}; the next one must get it off. */
    private boolean restoreAutoCommit(Connection c) {
        try {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("[{}] could not restore auto-commit off on a returned connection; discarding it", name, e);
            return false;
        }
    }

    @Override
    public void invalidate(Connection c) {
        Lease lease = leases.remove(c);
        if (lease == null) {
            closeQuietly(c);
            return;
        }
        checkedOut.decrementAndGet();
        try {
            discard(c, lease);
        } catch (RuntimeException e) {
            LOG.warn("[{}] c3p0 failed to drop an invalidated connection: {}", name, e.toString());
        } finally {
            slots.release();
        }
    }

    /**
     * Closes a borrowed connection for good: the physical connection is closed here and now (so its close event and
     * the server's count follow at once), then c3p0 forgets it without opening a replacement (unless a checkout
     * waiting in c3p0 needs one: it opens only after the close, so the physical count never exceeds the limit), then
     * c3p0's proxy is closed, whose pooled connection c3p0 destroys later finds already closed.
     */
    private void discard(Connection c, Lease lease) {
        try {
            closeQuietly(c.unwrap(PhysicalConnection.class));
        } catch (SQLException e) {
            LOG.debug("[{}] connection does not unwrap to the engine's; c3p0 closes it", name);
        }
        if (!lease.generation().retired()) {
            lease.generation().forget(lease.pooled());
        }
        closeQuietly(c);
    }

    @Override
    public PoolStatus status() {
        PoolGeneration g = generation;
        return StatusSnapshot.queue(spec.poolSize(), () -> g == null || g.retired() ? 0 : g.idle(), checkedOut);
    }

    /**
     * Retires the current c3p0 pool: its idle connections are closed by c3p0 right away (on a thread of its own),
     * borrowed ones when they come back; the next checkout starts a fresh, empty pool.
     */
    @Override
    public void dispose() {
        synchronized (generationLock) {
            PoolGeneration g = generation;
            if (g == null) {
                return;
            }
            g.retire();
            generation = null;
            dataSource.resetPoolManager(false);
        }
    }

    @Override
    public void close() {
        synchronized (generationLock) {
            if (closed) {
                return;
            }
            closed = true;
            PoolGeneration g = generation;
            if (g != null) {
                g.retire();
                generation = null;
            }
            // Stops c3p0's helper threads and timer and closes every connection, borrowed ones included.
            dataSource.resetPoolManager(true);
        }
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The native pool: {@link PoolBackedDataSource} (also as {@code PooledDataSource}) or its configuration. */
    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isInstance(dataSource)) {
            return type.cast(dataSource);
        }
        if (type.isInstance(poolSource)) {
            return type.cast(poolSource);
        }
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException("[" + name + "] the c3p0 backend does not wrap a " + type.getName()
                + "; it wraps " + PoolBackedDataSource.class.getName() + " and "
                + WrapperConnectionPoolDataSource.class.getName());
    }

    @Override
    public String toString() {
        return "C3p0PoolBackend[" + name + ": " + status() + "]";
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: nothing more can be done if closing fails too.
        }
    }
}
