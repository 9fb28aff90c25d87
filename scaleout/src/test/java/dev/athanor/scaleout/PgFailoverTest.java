package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.InvalidationReason;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolListener;
import dev.athanor.ReadOnlyServerException;
import dev.athanor.RetryPolicy;
import dev.athanor.SessionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failover on a private PostgreSQL primary and hot standby, through one engine on the two-host URL with
 * {@code targetServerType=primary}: the primary stopped under load and the standby promoted; and a primary that
 * turns read-only while the engine's pooled connections point at it.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PgFailoverTest {
    /** Ports of the private instance, free when the class loads: other runs of the suite may use the fixed ones. */
    private static final int PRIMARY = Servers.freePort();
    private static final int STANDBY = otherFreePort(PRIMARY);
    private static final Map<String, String> ENV = Map.of("ATHANOR_PG_PRIMARY_PORT", String.valueOf(PRIMARY),
            "ATHANOR_PG_STANDBY_PORT", String.valueOf(STANDBY));
    private static final String TABLE = "failover_rows";
    private static final String PORT = "SELECT inet_server_port()";

    private static String url() {
        // hostRecheckSeconds: how long pgjdbc trusts what it learnt about a host (10 s by default), here the standby
        // found to be a secondary just before its promotion.
        return "postgresql://postgres@127.0.0.1:" + PRIMARY + ",127.0.0.1:" + STANDBY
                + "/test?targetServerType=primary&hostRecheckSeconds=1";
    }

    private static Engine engine(String backend) {
        return Engine.builder(url()).pool(backend).poolName("pg-failover-" + backend).poolSize(4).maxOverflow(0)
                .connectTimeout(Duration.ofSeconds(2)).poolTimeout(Duration.ofSeconds(10)).build();
    }

    /** Runs {@code sql} on one server directly, outside any transaction. */
    private static Object direct(int port, String sql) {
        try (Engine e = Engine.builder("postgresql://postgres@127.0.0.1:" + port + "/test").pool("null")
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            return e.withConnection(c -> {
                dev.athanor.Result r = c.execute(sql);
                return sql.startsWith("SELECT") || sql.startsWith("SHOW") ? r.scalar() : r.rowCount();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void unitsUnderLoadSurviveThePrimaryStoppedAndTheStandbyPromoted(String backend) throws Exception {
        try (PrivateServers servers = PrivateServers.start(Topology.PG_STANDBY, ENV)) {
            direct(PRIMARY, "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY)");
            long stopped;
            long firstOnNewPrimary;
            FailoverLoad load;
            try (Engine e = engine(backend)) {
                load = new FailoverLoad(SessionFactory.builder().bind(e).build(), TABLE, PORT, 3);
                try {
                    assertThat(load.awaitCommitsOn(PRIMARY, Duration.ofSeconds(30))).as("load on the primary").isTrue();
                    stopped = System.nanoTime();
                    servers.stopPostgresql("primary");
                    direct(STANDBY, "SELECT pg_promote(true, 30)");
                    assertThat(load.awaitCommitsOn(STANDBY, Duration.ofSeconds(60))).as("load on the new primary")
                            .isTrue();
                    firstOnNewPrimary = load.firstCommitNanos(STANDBY);
                } finally {
                    load.close();
                }
            }
            assertThat(load.failures).as("what reached the callers").allSatisfy(f -> assertThat(f)
                    .isInstanceOf(DisconnectionException.class));
            Set<Integer> rows = new HashSet<>(ids(STANDBY));
            assertThat(rows).as("every committed row is on the new primary").containsAll(load.committed.keySet());
            System.out.printf("[failover] postgresql %s: stop -> first commit on the promoted standby %d ms"
                    + " (%d units committed, %d failed, %d in doubt)%n", backend,
                    TimeUnit.NANOSECONDS.toMillis(firstOnNewPrimary - stopped), load.committed.size(),
                    load.failures.size(), load.inDoubt.size());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ids(int port) {
        try (Engine e = Engine.builder("postgresql://postgres@127.0.0.1:" + port + "/test").pool("null").build()) {
            return e.withConnection(c -> c.execute("SELECT id FROM " + TABLE).scalars(Integer.class));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void aPrimaryTurnedReadOnlyInvalidatesThePoolAndTheRetryReachesTheWritableHost(String backend)
            throws Exception {
        try (PrivateServers servers = PrivateServers.start(Topology.PG_STANDBY, ENV); Engine e = engine(backend)) {
            direct(PRIMARY, "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY)");
            List<InvalidationReason> reasons = new CopyOnWriteArrayList<>();
            e.addListener(new PoolListener() {
                @Override
                public void onInvalidate(java.sql.Connection pooled, Throwable cause, InvalidationReason reason) {
                    reasons.add(reason);
                }
            });
            SessionFactory sessions = SessionFactory.builder().bind(e).build();
            assertThat(portsOfConcurrentCheckouts(e, 3)).as("the pool's connections").containsOnly(PRIMARY);
            direct(STANDBY, "SELECT pg_promote(true, 30)"); // both writable for now: the old primary is demoted next
            direct(PRIMARY, "ALTER SYSTEM SET default_transaction_read_only = on");
            direct(PRIMARY, "SELECT pg_reload_conf()");
            awaitReadOnly(PRIMARY);
            long demoted = System.nanoTime();
            List<Throwable> retried = new CopyOnWriteArrayList<>();
            RetryPolicy retry = RetryPolicy.on(t -> retried.add(t) && t instanceof DisconnectionException)
                    .maxAttempts(3);
            List<Integer> attemptPorts = new CopyOnWriteArrayList<>();
            int port = sessions.inTransaction(retry, s -> {
                attemptPorts.add(((Number) s.execute(PORT).scalar()).intValue());
                s.execute("INSERT INTO " + TABLE + " (id) VALUES (1)");
                return ((Number) s.execute(PORT).scalar()).intValue();
            });
            long committed = System.nanoTime();
            assertThat(port).as("the unit committed on the writable host").isEqualTo(STANDBY);
            assertThat(attemptPorts).as("the attempts: on the pooled connection, then on a new one")
                    .containsExactly(PRIMARY, STANDBY);
            assertThat(retried).as("what the retry policy was asked about").isNotEmpty()
                    .allSatisfy(t -> assertThat(t).isInstanceOf(ReadOnlyServerException.class));
            assertThat(reasons).contains(InvalidationReason.READ_ONLY_SERVER);
            assertThat(portsOfConcurrentCheckouts(e, 3)).as("no connection to the read-only host is handed out"
                    + " again").containsOnly(STANDBY);
            System.out.printf("[failover] postgresql %s: read-only primary -> commit on the writable host %d ms%n",
                    backend, TimeUnit.NANOSECONDS.toMillis(committed - demoted));
        }
    }

    /** The server ports of {@code n} connections checked out at once (so that each is a different one). */
    static List<Integer> portsOfConcurrentCheckouts(Engine e, int n) {
        List<dev.athanor.Connection> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                dev.athanor.Connection c = e.connect();
                held.add(c);
                ports.add(((Number) c.execute(PORT).scalar()).intValue());
            }
            return ports;
        } finally {
            held.forEach(dev.athanor.Connection::close);
        }
    }

    private static void awaitReadOnly(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"on".equals(direct(port, "SHOW default_transaction_read_only"))) {
            assertThat(System.nanoTime()).as("the reload took effect within 10 s").isLessThan(deadline);
            Thread.sleep(20); // the server applies a reload asynchronously: no event to wait on
        }
    }

    private static int otherFreePort(int taken) {
        int port = Servers.freePort();
        while (port == taken) {
            port = Servers.freePort();
        }
        return port;
    }
}
