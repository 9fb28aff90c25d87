package dev.athanor.testkit.reference;

import dev.athanor.PoolStatus;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A correct pool backend in one page: what an adapter must do, and what the contract kit checks. A fair semaphore
 * with {@code maxConnections()} permits bounds the borrowed connections (a permit is held from checkout to checkin);
 * a deque holds at most {@code maxIdle()} idle ones. Connections are opened only through the {@link ConnectionSource}
 * and handed out as they are, so they unwrap to the source's. Nothing is opened ahead of demand, no lock is held while
 * connecting or closing, and a borrower's auto-commit and isolation changes are undone at checkin.
 */
public class ReferenceBackend implements PoolBackend {
    private final PoolSpec spec;
    private final ConnectionSource source;
    private final Capabilities capabilities;
    /** Null when the pool is unlimited. */
    private final Semaphore slots;
    private final Deque<Connection> idle = new ArrayDeque<>();
    /** The isolation level each open connection was opened with, to restore it at checkin. */
    private final Map<Connection, Integer> isolation = new IdentityHashMap<>();
    private int borrowed;
    private boolean closed;

    public ReferenceBackend(PoolSpec spec, ConnectionSource source, Capabilities capabilities) {
        this.spec = spec;
        this.source = source;
        this.capabilities = capabilities;
        this.slots = spec.unlimited() ? null : new Semaphore(spec.maxConnections(), true);
    }

    protected PoolSpec spec() {
        return spec;
    }

    @Override
    public Connection checkout() throws SQLException {
        acquireSlot();
        synchronized (this) {
            Connection c = spec.useLifo() ? idle.pollLast() : idle.pollFirst();
            if (c != null) {
                borrowed++;
                return c;
            }
        }
        Connection c;
        int level;
        try {
            c = source.connect();
            level = c.getTransactionIsolation();
        } catch (SQLException | RuntimeException e) {
            releaseSlot();
            throw e;
        }
        synchronized (this) {
            isolation.put(c, level);
            borrowed++;
        }
        return c;
    }

    /** Waits at most poolTimeout for a slot, then fails with the engine's message; never earlier. */
    protected void acquireSlot() throws SQLException {
        if (slots == null) {
            return;
        }
        try {
            if (!slots.tryAcquire(timeoutNanos(), TimeUnit.NANOSECONDS)) {
                throw spec.timeoutException(null);
            }
        } catch (InterruptedException e) {
            // Not a timeout: the engine reports an SQLException on an interrupted thread as an interrupted checkout.
            Thread.currentThread().interrupt();
            throw new SQLException("[" + spec.poolName() + "] interrupted while waiting for a connection", e);
        }
    }

    /** poolTimeout in nanoseconds; a timeout too long for a long (ChronoUnit.FOREVER) never ends. */
    private long timeoutNanos() {
        try {
            return spec.poolTimeout().toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    protected void releaseSlot() {
        if (slots != null) {
            slots.release();
        }
    }

    @Override
    public void checkin(Connection c) {
        boolean keep = restore(c);
        synchronized (this) {
            borrowed--;
            keep = keep && !closed && idle.size() < spec.maxIdle();
            if (keep) {
                idle.addLast(c);
            } else {
                isolation.remove(c);
            }
        }
        if (!keep) {
            // Close before giving the slot back: until it is closed the connection still counts against the cap.
            discard(c);
        }
        releaseSlot();
    }

    /** Undoes what a borrower may have changed through jdbc(); false when the connection is not fit to keep. */
    private boolean restore(Connection c) {
        try {
            if (c.getAutoCommit() != spec.autoCommit()) {
                c.setAutoCommit(spec.autoCommit());
            }
            Integer level;
            synchronized (this) {
                level = isolation.get(c);
            }
            if (level != null && c.getTransactionIsolation() != level) {
                c.setTransactionIsolation(level);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Closes a connection the pool does not keep (an overflow connection, or one that could not be reset). */
    protected void discard(Connection c) {
        closeQuietly(c);
    }

    @Override
    public void invalidate(Connection c) {
        synchronized (this) {
            borrowed--;
            isolation.remove(c);
        }
        closeQuietly(c);
        releaseSlot();
    }

    @Override
    public synchronized PoolStatus status() {
        return PoolStatus.queue(spec.poolSize(), idle.size(), borrowed);
    }

    @Override
    public void dispose() {
        List<Connection> drained;
        synchronized (this) {
            drained = new ArrayList<>(idle);
            idle.clear();
            drained.forEach(isolation::remove);
        }
        drained.forEach(ReferenceBackend::closeQuietly);
    }

    @Override
    public void close() {
        List<Connection> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(isolation.keySet()); // idle and borrowed: a borrowed one is closed now too
            idle.clear();
            isolation.clear();
        }
        open.forEach(ReferenceBackend::closeQuietly);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: a failed close leaves nothing more to do.
        }
    }
}
