package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.ReplicaState;
import dev.athanor.ReplicaStatus;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replicas on a MariaDB primary and GTID replica. The application connects as {@code athanor} (privileges on
 * {@code test} only, as an application has); {@code root} holds replication back and cuts connections.
 */
@UsesServers(Topology.MARIADB_REPLICA)
class ReplicasMariadbTest extends AbstractReplicasTest {
    @Override
    String primaryUrl() {
        return "mariadb://athanor@127.0.0.1:" + Topology.mariadbPrimaryPort() + "/test";
    }

    @Override
    String replicaUrl(int port) {
        return "mariadb://athanor@127.0.0.1:" + port + "/test";
    }

    @Override
    int replicaPort() {
        return Topology.mariadbReplicaPort();
    }

    @Override
    String replicaAdminUrl(int port) {
        return "mariadb://root@127.0.0.1:" + port + "/test";
    }

    @Override
    String whoSql() {
        // The script gives the primary server_id 1 and the replica 2.
        return "SELECT CASE WHEN @@server_id = 2 THEN 'replica' ELSE 'primary' END";
    }

    @Override
    Object connectionId(Session s) {
        return s.execute("SELECT CONNECTION_ID()").scalar(Long.class);
    }

    @Override
    void terminate(Engine admin, Object id) {
        admin.useConnection(c -> c.execute("KILL CONNECTION " + ((Number) id).longValue()));
    }

    @Override
    void pauseReplay(Engine admin) {
        // The IO thread keeps receiving; nothing is applied until START SLAVE SQL_THREAD.
        admin.useConnection(c -> c.execute("STOP SLAVE SQL_THREAD"));
    }

    @Override
    void resumeReplay(Engine admin) {
        admin.useConnection(c -> c.execute("START SLAVE SQL_THREAD"));
    }

    @Override
    Map<String, String> privateEnv(int primaryPort, int replicaPort) {
        return Map.of("ATHANOR_MARIADB_PRIMARY_PORT", Integer.toString(primaryPort),
                "ATHANOR_MARIADB_REPLICA_PORT", Integer.toString(replicaPort));
    }

    @Override
    Topology topology() {
        return Topology.MARIADB_REPLICA;
    }

    @Test
    void theLagIsMeasuredWithTheMonitorPrivilegeAndUnknownCountsAsTooFarBehind() {
        Engine monitored = engine(replicaAdminUrl(replicaPort()), "replica-root", false);
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(monitored).readOnly(true)
                .replicaMaxLag(Duration.ofSeconds(5)).replicaLagCheckInterval(Duration.ofMillis(10)).build();
        assertThat(sessions.inTransaction(this::who)).isEqualTo("replica");
        assertThat(sessions.replicaStatus().get(0).lag()).isEqualTo(Duration.ZERO);

        pauseReplay(replicaAdmin); // Seconds_Behind_Master is NULL while the SQL thread is stopped
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sessions.inTransaction(this::who).equals("replica") && System.nanoTime() < deadline) {
            sleepBriefly(); // the next measurement is due after the interval
        }
        ReplicaStatus status = sessions.replicaStatus().get(0);
        assertThat(status.state()).isEqualTo(ReplicaState.LAGGING);
        assertThat(status.lag()).isNull();
        assertThat(status.lastError()).contains("reports none");

        // The application's user may not ask: the lag is unknown, and the replica is skipped, saying why.
        SessionFactory unprivileged = SessionFactory.builder().bind(primary).replica(replica).readOnly(true)
                .replicaMaxLag(Duration.ofSeconds(5)).build();
        assertThat(unprivileged.inTransaction(this::who)).isEqualTo("primary");
        assertThat(unprivileged.replicaStatus().get(0).lastError()).containsIgnoringCase("privilege");
    }
}
