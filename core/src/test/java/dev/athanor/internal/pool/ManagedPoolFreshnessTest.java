package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Dialect;
import dev.athanor.internal.Secrets;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * "A connection just opened is not pinged" means opened for this very checkout: a backend that fills its pool ahead
 * of demand (as HikariCP keeps {@code minimumIdle}) hands out connections that were opened before the checkout,
 * possibly before the database went away, and those are pinged on their first hand-out too.
 */
class ManagedPoolFreshnessTest {

    @Test
    void aSpareOpenedBeforeTheCheckoutIsPingedOnItsFirstHandOut() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        Listeners listeners = new Listeners("eager");
        EngineConnectionSource source = new EngineConnectionSource("eager", Dialect.GENERIC, db.url(), db.url(),
                DriverManager.getDriver(db.url()), new Properties(), null, listeners);
        ManagedPool pool = new ManagedPool(PoolSpec.builder("eager").build(),
                new ManagedPool.Rules(true, null, dev.athanor.ResetOnReturn.ROLLBACK, null), new EagerProvider(),
                source, listeners, Secrets.of(null));

        Connection first = pool.checkout(); // the backend also opens a spare, kept idle
        assertThat(db.validations()).as("a connection opened for the checkout is not pinged").isZero();
        pool.checkin(first, false);
        db.killAll(); // the spare, never handed out, is dead too

        Connection next = pool.checkout();
        assertThat(next.isValid(1)).as("the connection handed out after the database came back").isTrue();
        assertThat(db.validations()).as("pings").isPositive();
        pool.checkin(next, false);
        pool.close();
        assertThat(db.openNow()).isZero();
    }

    /** Opens a spare connection whenever it runs dry, and hands out idle connections first, oldest first. */
    private static final class EagerProvider implements PoolProvider {
        @Override
        public String name() {
            return "eager";
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.builder().allExact().build();
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new PoolBackend() {
                private final ArrayDeque<Connection> idle = new ArrayDeque<>();

                @Override
                public synchronized Connection take() throws SQLException {
                    Connection c = idle.pollFirst();
                    if (c == null) {
                        idle.addLast(source.connect());
                        c = source.connect();
                    }
                    return c;
                }

                @Override
                public synchronized void keep(Connection connection) {
                    idle.addLast(connection);
                }

                @Override
                public synchronized void discard(Connection connection) {
                    Pools.closeQuietly(connection);
                }

                @Override
                public synchronized void dispose() {
                    idle.forEach(Pools::closeQuietly);
                    idle.clear();
                }

                @Override
                public void close() {
                    dispose();
                }
            };
        }
    }
}
