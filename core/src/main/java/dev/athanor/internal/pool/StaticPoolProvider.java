package dev.athanor.internal.pool;

import dev.athanor.PoolStatus;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code static}: SQLAlchemy's StaticPool. One connection, opened on first use and handed to every borrower, for
 * in-memory databases and tests that must see one session's uncommitted state. Borrowers share it: it is not for
 * concurrent work. Never chosen unless named.
 */
public final class StaticPoolProvider implements PoolProvider {
    private static final String ONE = "keeps exactly one shared connection";

    private static final Capabilities CAPABILITIES = Capabilities.builder()
            .allExact()
            .set(Knob.POOL_SIZE, Capability.unsupported("StaticPool " + ONE))
            .set(Knob.MAX_OVERFLOW, Capability.unsupported("StaticPool " + ONE))
            .set(Knob.POOL_TIMEOUT, Capability.unsupported("StaticPool " + ONE + " and never waits"))
            .set(Knob.USE_LIFO, Capability.unsupported("StaticPool " + ONE))
            .build();

    @Override
    public String name() {
        return "static";
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new StaticPool(source);
    }

    private static final class StaticPool implements OwnRules {
        private final ConnectionSource source;
        private Connection connection;
        private int checkedOut;

        StaticPool(ConnectionSource source) {
            this.source = source;
        }

        @Override
        public synchronized Connection take() throws SQLException {
            if (connection == null) {
                connection = source.connect();
            }
            checkedOut++;
            return connection;
        }

        /**
         * Puts back what a borrower changed through {@code jdbc()}: auto-commit at once, since the next borrower must
         * get the engine's state; the isolation level and the other settings once no one else is using the
         * connection (contract kit rules RESET-4 and RESET-5). The connection tracks its settings: an unchanged one
         * costs no round trip.
         */
        @Override
        public synchronized void keep(Connection c) throws SQLException {
            checkedOut--;
            if (c == connection && c instanceof PhysicalConnection p) {
                p.restoreAutoCommit();
                if (checkedOut == 0) {
                    p.restore();
                }
            }
        }

        @Override
        public synchronized void discard(Connection c) {
            checkedOut--;
            if (c == connection) {
                connection = null;
            }
            Pools.closeQuietly(c);
        }

        @Override
        public synchronized PoolStatus status() {
            return PoolStatus.of("StaticPool", 1, connection != null && checkedOut == 0 ? 1 : 0, checkedOut);
        }

        @Override
        public synchronized void dispose() {
            if (connection != null && checkedOut == 0) {
                Pools.closeQuietly(connection);
                connection = null;
            }
        }

        @Override
        public synchronized void close() {
            if (connection != null) {
                Pools.closeQuietly(connection);
                connection = null;
            }
        }

    }
}
