package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 2, killed connections ({@code pg_terminate_backend}, MariaDB {@code KILL}, from a separate admin
 * connection, only of this test's own connections): with pre-ping a connection killed while idle is never handed
 * out; a connection killed mid-transaction surfaces as {@link DisconnectionException}, its transaction is rolled
 * back (a {@link Session} rolls back cleanly and goes on with a new connection), and the pool heals.
 */
abstract class AbstractKilledConnectionTest {
    static final int POOL_SIZE = 3;

    abstract TestDatabase database();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void idleConnectionsKilledByTheServerAreNeverHandedOutWithPrePing(String backend) {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(0).poolPrePing(true)
                     .poolTimeout(Duration.ofSeconds(10)).build()) {
            Set<Long> killed = new HashSet<>();
            List<Connection> open = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection c = engine.connect();
                killed.add(Target.serverId(c, database()));
                open.add(c);
            }
            open.forEach(Connection::close);
            assertThat(target.serverConnections()).as("idle connections on the server").isEqualTo(POOL_SIZE);

            long killedAt = System.nanoTime();
            assertThat(target.killAll()).isEqualTo(POOL_SIZE);
            assertThat(Await.atMost(Duration.ofSeconds(10), 0, target::serverConnections))
                    .as("server connections after the kill").isZero();

            long firstSuccessNanos = 0;
            int failures = 0;
            for (int i = 0; i < 2 * POOL_SIZE; i++) {
                try (Connection c = engine.connect()) {
                    long id = Target.serverId(c, database());
                    assertThat(id).as("server id of checkout " + i + " (killed: " + killed + ")").isNotIn(killed);
                    if (firstSuccessNanos == 0) {
                        firstSuccessNanos = System.nanoTime();
                    }
                } catch (RuntimeException e) {
                    failures++;
                    throw new AssertionError("checkout " + i + " after the kill failed (pre-ping is on)", e);
                }
            }
            assertThat(engine.status().checkedOut()).isZero();
            int atEnd = Await.atMost(Duration.ofSeconds(10), POOL_SIZE, target::serverConnections);
            assertThat(atEnd).isLessThanOrEqualTo(POOL_SIZE);
            Figures.of("killedIdle+prePing", backend, database()).put("killed", killed.size())
                    .put("failures", failures).put("healMs", (firstSuccessNanos - killedAt) / 1_000_000)
                    .put("serverConnectionsAtEnd", atEnd).record();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void connectionKilledMidTransactionSurfacesAsDisconnectionRollsBackAndThePoolHeals(String backend) {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(0)
                     .poolTimeout(Duration.ofSeconds(10)).build()) {
            String table = target.table("rel_killed");
            target.admin("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            String insert = "INSERT INTO " + table + " (id) VALUES (:id)";
            engine.useConnection(c -> c.execute("SELECT 1")); // a warm idle connection besides the victim

            long killedAt;
            try (Connection c = engine.connect()) {
                c.execute(insert, Map.of("id", 1));
                assertThat(c.inTransaction()).isTrue();
                long victim = Target.serverId(c, database());
                killedAt = System.nanoTime();
                target.kill(victim);
                assertThat(Await.until(Duration.ofSeconds(10), () -> !target.serverIds().contains(victim)))
                        .as("the server ends the killed connection").isNotNegative();

                assertThatThrownBy(() -> c.execute(insert, Map.of("id", 2)))
                        .isInstanceOf(DisconnectionException.class)
                        .hasMessageContaining("[" + target.tag() + "] connection lost");
                assertThat(c.isInvalidated()).as("the connection is discarded").isTrue();
            }
            assertThat(engine.status().checkedOut()).as("checked out after the disconnect").isZero();
            assertThat(target.adminCount("SELECT count(*) FROM " + table)).as("rows of the killed transaction")
                    .isZero();

            engine.useTransaction(c -> c.execute(insert, Map.of("id", 3)));
            long healedAt = System.nanoTime();
            assertThat(target.adminCount("SELECT count(*) FROM " + table + " WHERE id = 3")).isEqualTo(1);
            for (int i = 0; i < 2 * POOL_SIZE; i++) {
                engine.useConnection(c -> c.execute("SELECT 1").scalar());
            }
            assertThat(engine.status().checkedOut()).isZero();
            int atEnd = Await.atMost(Duration.ofSeconds(10), POOL_SIZE, target::serverConnections);
            assertThat(atEnd).isLessThanOrEqualTo(POOL_SIZE);
            Figures.of("killedInUse", backend, database()).put("failures", 1)
                    .put("healMs", (healedAt - killedAt) / 1_000_000).put("serverConnectionsAtEnd", atEnd).record();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void aSessionWhoseConnectionIsKilledRollsBackAndGoesOnOnANewConnection(String backend) {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(0)
                     .poolTimeout(Duration.ofSeconds(10)).build()) {
            String table = target.table("rel_killed_session");
            target.admin("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            String insert = "INSERT INTO " + table + " (id) VALUES (:id)";
            SessionFactory sessions = SessionFactory.builder().bind(engine).build();

            try (Session s = sessions.openSession()) {
                s.execute(insert, Map.of("id", 1));
                long victim = Target.serverId(s.connection(), database());
                target.kill(victim);
                assertThat(Await.until(Duration.ofSeconds(10), () -> !target.serverIds().contains(victim)))
                        .as("the server ends the killed connection").isNotNegative();

                assertThatThrownBy(() -> s.execute(insert, Map.of("id", 2)))
                        .isInstanceOf(DisconnectionException.class);
                s.rollback();
                assertThat(s.isActive()).as("session active after the rollback").isFalse();
                assertThat(engine.status().checkedOut()).as("checked out after the rollback").isZero();

                s.execute(insert, Map.of("id", 3));
                s.commit();
            }
            assertThat(engine.status().checkedOut()).isZero();
            List<Long> rows = engine.withConnection(c -> c.execute("SELECT id FROM " + table).scalars(Long.class));
            assertThat(rows).as("only the unit after the kill").containsExactly(3L);
            Long count = sessions.inTransaction(s -> s.execute("SELECT count(*) FROM " + table).scalar(Long.class));
            assertThat(count).isEqualTo(1L);
        }
    }
}
