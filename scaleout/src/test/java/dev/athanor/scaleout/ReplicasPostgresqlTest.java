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

/** Replicas on a PostgreSQL 15 primary and hot standby (streaming replication). */
@UsesServers(Topology.PG_STANDBY)
class ReplicasPostgresqlTest extends AbstractReplicasTest {
    @Override
    String primaryUrl() {
        return "postgresql://postgres@127.0.0.1:" + Topology.pgPrimaryPort() + "/test";
    }

    @Override
    String replicaUrl(int port) {
        return "postgresql://postgres@127.0.0.1:" + port + "/test";
    }

    @Override
    int replicaPort() {
        return Topology.pgStandbyPort();
    }

    @Override
    String replicaAdminUrl(int port) {
        return replicaUrl(port);
    }

    @Override
    String whoSql() {
        return "SELECT CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END";
    }

    @Override
    Object connectionId(Session s) {
        return s.execute("SELECT pg_backend_pid()").scalar(Integer.class);
    }

    @Override
    void terminate(Engine admin, Object id) {
        admin.useConnection(c -> c.execute("SELECT pg_terminate_backend(?)", id));
    }

    @Override
    void pauseReplay(Engine admin) {
        // From here on the startup process applies no more WAL (it checks before each record).
        admin.useConnection(c -> c.execute("SELECT pg_wal_replay_pause()"));
    }

    @Override
    void resumeReplay(Engine admin) {
        admin.useConnection(c -> c.execute("SELECT pg_wal_replay_resume()"));
    }

    @Override
    Map<String, String> privateEnv(int primaryPort, int replicaPort) {
        return Map.of("ATHANOR_PG_PRIMARY_PORT", Integer.toString(primaryPort),
                "ATHANOR_PG_STANDBY_PORT", Integer.toString(replicaPort));
    }

    @Override
    Topology topology() {
        return Topology.PG_STANDBY;
    }

    @Test
    void aStandbyFurtherBehindThanTheMaximumLagIsSkipped() {
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(replica).readOnly(true)
                .replicaMaxLag(Duration.ofMillis(300)).replicaLagCheckInterval(Duration.ofMillis(50)).build();
        assertThat(sessions.inTransaction(this::who)).isEqualTo("replica");
        assertThat(sessions.replicaStatus().get(0).lag()).isLessThan(Duration.ofMillis(300));
        pauseReplay(replicaAdmin);
        primary.useTransaction(c -> c.execute("INSERT INTO " + TABLE + " VALUES (?, 'lag')", nextId()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sessions.inTransaction(this::who).equals("replica") && System.nanoTime() < deadline) {
            sleepBriefly(); // the lag grows with the time since the last replayed commit
        }
        ReplicaStatus status = sessions.replicaStatus().get(0);
        assertThat(status.state()).isEqualTo(ReplicaState.LAGGING);
        assertThat(status.lag()).isGreaterThan(Duration.ofMillis(300));
        assertThat(sessions.inTransaction(this::who)).isEqualTo("primary");

        resumeReplay(replicaAdmin);
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sessions.inTransaction(this::who).equals("primary") && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        assertThat(sessions.replicaStatus().get(0).state()).isEqualTo(ReplicaState.UP);
    }
}
