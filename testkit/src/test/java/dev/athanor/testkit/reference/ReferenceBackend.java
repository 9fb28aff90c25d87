package dev.athanor.testkit.reference;

import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A correct store in one page: everything a pool adapter's backend must do, and what the contract kit checks of it.
 * The engine enforces the pool's rules (cap, waiting, timeout, idle cap, counts, reset); a store only keeps, hands out,
 * opens and closes connections. This one keeps idle connections in a deque (FIFO, or LIFO with
 * {@code useLifo}), opens a connection only when a {@link #take()} finds none idle, opens it only through the
 * {@link ConnectionSource} and hands it out as it is (so it unwraps to the engine's), never retries a failed connect,
 * closes what it discards at once, and remembers every connection it opened so that {@link #close()} closes borrowed
 * ones too. The broken stores of {@link BrokenProviders} override one step each.
 */
public class ReferenceBackend implements PoolBackend {
    private final PoolSpec spec;
    private final ConnectionSource source;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    /** Every connection open, borrowed ones included. */
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ReferenceBackend(PoolSpec spec, ConnectionSource source) {
        this.spec = spec;
        this.source = source;
    }

    protected final PoolSpec spec() {
        return spec;
    }

    @Override
    public Connection take() throws SQLException {
        Connection c = idle.pollFirst();
        if (c != null) {
            return c;
        }
        c = connect(source);
        open.add(c);
        if (closed) {
            discard(c); // close() ran while this connect was under way
            throw new SQLException("the pool is closed", "08003");
        }
        return c;
    }

    /** Opens one connection through the engine's source: once, a failure goes to the caller. */
    protected Connection connect(ConnectionSource source) throws SQLException {
        return source.connect();
    }

    @Override
    public void keep(Connection connection) {
        if (spec.useLifo()) {
            idle.offerFirst(connection);
        } else {
            idle.offerLast(connection);
        }
        if (closed) {
            dispose(); // close() ran meanwhile: nothing may stay open
        }
    }

    @Override
    public void discard(Connection connection) {
        open.remove(connection);
        closeQuietly(connection);
    }

    @Override
    public void dispose() {
        for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
            discard(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        dispose();
        for (Connection c : open) {
            discard(c);
        }
    }

    /** Idle connections now, for the broken stores. */
    protected final Deque<Connection> idle() {
        return idle;
    }

    /** Records a connection opened outside {@link #take()}, for the broken stores. */
    protected final void opened(Connection c) {
        open.add(c);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding: a failed close leaves nothing more to do.
        }
    }
}
