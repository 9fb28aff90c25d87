package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.InvalidationReason;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolListener;
import dev.athanor.SessionFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failover on a private MariaDB primary and GTID replica through one engine on the sequential two-host URL, as the
 * plain user {@code athanor}: the primary turned read-only under load (its writes fail with 1290, which invalidates
 * the pool), the replica made writable, then the primary stopped: later units commit on the replica. MariaDB
 * Connector/J's sequential mode connects to the first host that accepts a connection, read-only or not, so a demoted
 * primary that stays up keeps receiving the new connections; it is its stop that moves them.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MariadbFailoverTest {
    /** Ports of the private instance, free when the class loads: other runs of the suite may use the fixed ones. */
    private static final int PRIMARY = Servers.freePort();
    private static final int REPLICA = otherFreePort(PRIMARY);
    private static final Map<String, String> ENV = Map.of("ATHANOR_MARIADB_PRIMARY_PORT", String.valueOf(PRIMARY),
            "ATHANOR_MARIADB_REPLICA_PORT", String.valueOf(REPLICA));
    private static final String TABLE = "failover_rows";

    /** Runs {@code sql} as root on one server directly; a query's first column, else the update count. */
    private static Object root(int port, String sql) {
        try (Engine e = Engine.builder("mariadb://root@127.0.0.1:" + port + "/test").pool("null")
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            return e.withConnection(c -> {
                dev.athanor.Result r = c.execute(sql);
                return sql.startsWith("SELECT") ? r.scalar() : r.rowCount();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void unitsUnderLoadSurviveAReadOnlyPrimaryThenStoppedWithTheReplicaPromoted(String backend) throws Exception {
        try (PrivateServers servers = PrivateServers.start(Topology.MARIADB_REPLICA, ENV)) {
            root(PRIMARY, "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY)");
            // deniedListTimeout: MariaDB Connector/J skips a host that failed for this long, JVM-wide (60 s by
            // default); the next test's fresh primary on the same port must not be skipped for the last one's stop.
            String url = "mariadb://athanor@127.0.0.1:" + PRIMARY + ",127.0.0.1:" + REPLICA
                    + "/test?haMode=sequential&deniedListTimeout=1000";
            CountDownLatch readOnlySeen = new CountDownLatch(1);
            long demoted;
            long stopped;
            FailoverLoad load;
            try (Engine e = Engine.builder(url).pool(backend).poolName("mariadb-failover-" + backend).poolSize(4)
                    .maxOverflow(0).connectTimeout(Duration.ofSeconds(2)).poolTimeout(Duration.ofSeconds(10))
                    .build()) {
                e.addListener(new PoolListener() {
                    @Override
                    public void onInvalidate(java.sql.Connection c, Throwable cause, InvalidationReason reason) {
                        if (reason == InvalidationReason.READ_ONLY_SERVER) {
                            readOnlySeen.countDown();
                        }
                    }
                });
                load = new FailoverLoad(SessionFactory.builder().bind(e).build(), TABLE, "SELECT @@port", 3);
                try {
                    assertThat(load.awaitCommitsOn(PRIMARY, Duration.ofSeconds(30))).as("load on the primary: %s",
                            load.failures).isTrue();
                    demoted = System.nanoTime();
                    root(PRIMARY, "SET GLOBAL read_only = 1");
                    assertThat(readOnlySeen.await(30, TimeUnit.SECONDS)).as("a write refused with 1290 invalidated"
                            + " the pool").isTrue();
                    Object gtid = root(PRIMARY, "SELECT @@gtid_binlog_pos");
                    assertThat(root(REPLICA, "SELECT MASTER_GTID_WAIT('" + gtid + "', 30)")).as("caught up")
                            .isEqualTo(0);
                    root(REPLICA, "STOP SLAVE");
                    root(REPLICA, "SET GLOBAL read_only = 0");
                    stopped = System.nanoTime();
                    servers.stopMariadb("primary");
                    assertThat(load.awaitCommitsOn(REPLICA, Duration.ofSeconds(60))).as("load on the new primary")
                            .isTrue();
                } finally {
                    load.close();
                }
            }
            assertThat(load.failures).as("what reached the callers").allSatisfy(f -> assertThat(f)
                    .isInstanceOf(DisconnectionException.class));
            Set<Integer> rows = new HashSet<>(idsOn(REPLICA));
            assertThat(rows).as("every committed row is on the new primary").containsAll(load.committed.keySet());
            long first = load.firstCommitNanos(REPLICA);
            System.out.printf("[failover] mariadb %s: stop -> first commit on the replica %d ms (read-only primary"
                    + " -> first commit %d ms; %d units committed, %d failed, %d in doubt)%n", backend,
                    TimeUnit.NANOSECONDS.toMillis(first - stopped), TimeUnit.NANOSECONDS.toMillis(first - demoted),
                    load.committed.size(), load.failures.size(), load.inDoubt.size());
        }
    }

    private static java.util.List<Integer> idsOn(int port) {
        try (Engine e = Engine.builder("mariadb://root@127.0.0.1:" + port + "/test").pool("null").build()) {
            return e.withConnection(c -> c.execute("SELECT id FROM " + TABLE).scalars(Integer.class));
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
