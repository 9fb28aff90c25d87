package dev.athanor.internal.pool;

import dev.athanor.PoolStatus;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code null}: SQLAlchemy's NullPool. Every checkout opens a new connection and every checkin closes it, so it keeps
 * nothing to size, wait for or reuse; setting those knobs is refused. The lowest-priority pool: chosen only when no
 * pooling backend is on the classpath.
 */
public final class NullPoolProvider implements PoolProvider {
    static final String NO_QUEUE = "keeps no connections, so there is nothing to size, wait for or reuse";

    private static final Capabilities CAPABILITIES = Capabilities.builder()
            .allExact()
            .set(Knob.POOL_SIZE, Capability.unsupported("NullPool " + NO_QUEUE))
            .set(Knob.MAX_OVERFLOW, Capability.unsupported("NullPool " + NO_QUEUE))
            .set(Knob.POOL_TIMEOUT, Capability.unsupported("NullPool " + NO_QUEUE))
            .set(Knob.USE_LIFO, Capability.unsupported("NullPool " + NO_QUEUE))
            .build();

    @Override
    public String name() {
        return "null";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new NullPool(source);
    }

    private static final class NullPool implements OwnRules {
        private final ConnectionSource source;
        private final AtomicInteger checkedOut = new AtomicInteger();
        /** Connections lent and not returned: {@link #close()} closes them. */
        private final Set<Connection> borrowed = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        NullPool(ConnectionSource source) {
            this.source = source;
        }

        @Override
        public Connection take() throws SQLException {
            Connection c = source.connect();
            borrowed.add(c);
            checkedOut.incrementAndGet();
            if (closed) {
                close(); // close() ran while this connect was under way
            }
            return c;
        }

        @Override
        public void keep(Connection connection) throws SQLException {
            checkedOut.decrementAndGet();
            borrowed.remove(connection);
            connection.close();
        }

        @Override
        public void discard(Connection connection) {
            checkedOut.decrementAndGet();
            borrowed.remove(connection);
            Pools.closeQuietly(connection);
        }

        @Override
        public PoolStatus status() {
            return PoolStatus.of("NullPool", -1, 0, checkedOut.get());
        }

        @Override
        public void dispose() {
            // Nothing is kept.
        }

        @Override
        public void close() {
            // Nothing is kept idle; borrowed connections are closed at once, as every pool backend does.
            closed = true;
            for (Connection c : borrowed) {
                Pools.closeQuietly(c);
            }
        }

    }
}
