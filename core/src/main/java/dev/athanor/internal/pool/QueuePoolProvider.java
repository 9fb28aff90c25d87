package dev.athanor.internal.pool;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * {@code queue}: SQLAlchemy's QueuePool in core, with no dependency, and the reference implementation of the pool
 * rules: the engine enforces them all, and this backend is the plainest store under them: a deque of idle
 * connections (FIFO, or LIFO with {@code useLifo}), a new connection opened on the checkout's own thread when none is
 * idle, closed at once when discarded. It is the default when no pool adapter is on the classpath (priority -50,
 * above {@code null} and {@code static}, below every adapter). No thread of its own, no backend properties.
 */
public final class QueuePoolProvider implements PoolProvider {
    /** The name engines select this backend by. */
    public static final String NAME = "queue";

    private static final Capabilities CAPABILITIES = Capabilities.builder().allExact().build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -50;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new QueueStore(spec.useLifo(), source);
    }

    private static final class QueueStore implements PoolBackend {
        private final boolean lifo;
        private final ConnectionSource source;
        private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
        /** Every connection open, borrowed ones included: {@link #close()} closes what is left. */
        private final Set<Connection> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        QueueStore(boolean lifo, ConnectionSource source) {
            this.lifo = lifo;
            this.source = source;
        }

        @Override
        public Connection take() throws SQLException {
            Connection c = idle.pollFirst();
            if (c != null) {
                return c;
            }
            c = source.connect();
            open.add(c);
            if (closed) {
                discard(c); // close() ran while this connect was under way
                throw new SQLException("the pool is closed", "08003");
            }
            return c;
        }

        @Override
        public void keep(Connection connection) {
            if (lifo) {
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
            Pools.closeQuietly(connection);
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

        @Override
        public String toString() {
            return "QueuePool[" + (lifo ? "LIFO" : "FIFO") + ", " + idle.size() + " idle]";
        }
    }
}
