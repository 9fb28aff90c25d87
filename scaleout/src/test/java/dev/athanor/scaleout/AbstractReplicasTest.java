package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.IsolationLevel;
import dev.athanor.ReplicaState;
import dev.athanor.ReplicaStatus;
import dev.athanor.RetryPolicy;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.StatementEvent;
import dev.athanor.StatementListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Read replicas on a real primary and replica, written once; a subclass per database says how to tell the servers
 * apart, how to hold replication back and how to cut a connection. Which server ran a statement is asked of the
 * server itself ({@link #whoSql()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class AbstractReplicasTest {
    static final String TABLE = "athanor_replicas_rows";
    private static final AtomicInteger IDS = new AtomicInteger();

    private final List<Engine> engines = new ArrayList<>();
    private final List<AutoCloseable> closeAfterEach = new ArrayList<>();
    Engine primary;
    Engine replica;
    /** A superuser on the replica, auto-commit: holds replication back, cuts connections, polls. */
    Engine replicaAdmin;

    /** The primary's URL (the shared topology), as an application connects. */
    abstract String primaryUrl();

    /** The replica's URL as an application connects ({@code port}: the replica's port). */
    abstract String replicaUrl(int port);

    abstract int replicaPort();

    /** A superuser's URL on the replica. */
    abstract String replicaAdminUrl(int port);

    /** One row, one column: {@code 'replica'} or {@code 'primary'}, as the server that runs it says. */
    abstract String whoSql();

    /** The server-side id of the session's connection on {@code bind}'s server (to cut it from outside). */
    abstract Object connectionId(Session s);

    /** Cuts connection {@code id} of the replica from the server side. */
    abstract void terminate(Engine admin, Object id);

    /** Stops applying replication on the replica (what arrives waits); {@link #resumeReplay} undoes it. */
    abstract void pauseReplay(Engine admin);

    abstract void resumeReplay(Engine admin);

    /** The environment of a private instance of the topology on the given ports (primary, replica). */
    abstract Map<String, String> privateEnv(int primaryPort, int replicaPort);

    abstract Topology topology();

    String createTableSql() {
        return "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, v VARCHAR(20))";
    }

    Engine engine(String url, String name, boolean prePing) {
        return engine(url, name, prePing, null);
    }

    /** {@code pool}: a backend by name, or null for the default (hikari, the highest priority on the classpath). */
    Engine engine(String url, String name, boolean prePing, String pool) {
        dev.athanor.EngineBuilder b = Engine.builder(url).poolName(name).poolPrePing(prePing)
                .connectTimeout(Duration.ofSeconds(5));
        Engine e = (pool == null ? b : b.pool(pool)).build();
        engines.add(e);
        return e;
    }

    @BeforeAll
    void setUpServers() {
        primary = engine(primaryUrl(), "primary", false);
        replica = engine(replicaUrl(replicaPort()), "replica", false);
        replicaAdmin = Engine.builder(replicaAdminUrl(replicaPort())).poolName("replica-admin")
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build();
        engines.add(replicaAdmin);
        primary.useTransaction(c -> {
            c.execute("DROP TABLE IF EXISTS " + TABLE);
            c.execute(createTableSql());
        });
        awaitOnReplica("SELECT COUNT(*) FROM " + TABLE, 0L);
    }

    @AfterEach
    void resumeAndClose() throws Exception {
        resumeReplay(replicaAdmin);
        for (AutoCloseable c : closeAfterEach) {
            c.close();
        }
        closeAfterEach.clear();
    }

    @AfterAll
    void tearDown() {
        try {
            primary.useTransaction(c -> c.execute("DROP TABLE IF EXISTS " + TABLE));
        } finally {
            engines.forEach(Engine::close);
        }
    }

    /** Polls the replica (as its superuser) until {@code sql} answers {@code expected}; fails after 20 s. */
    void awaitOnReplica(String sql, Object expected, Object... params) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = replicaAdmin.withConnection(c -> c.execute(sql, params).scalar(Long.class));
            } catch (RuntimeException e) {
                last = e; // e.g. the table has not replicated yet
            }
            if (expected.equals(last)) {
                return;
            }
            Thread.onSpinWait();
            sleepBriefly();
        }
        throw new AssertionError("the replica did not answer " + expected + " to " + sql + " within 20 s: " + last);
    }

    /** Polling a server's replication state: there is nothing to wait on but the state itself. */
    static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String who(Session s) {
        return s.execute(whoSql()).scalar(String.class);
    }

    /** Where a read-only transaction of {@code s} runs, and how many rows with {@code id} it sees there. */
    String readOnlyWhere(Session s, int id) {
        s.readOnly(true);
        String where = who(s) + ":" + s.execute("SELECT COUNT(*) FROM " + TABLE + " WHERE id = ?", id)
                .scalar(Long.class);
        s.commit();
        return where;
    }

    static int nextId() {
        return IDS.incrementAndGet();
    }

    @Test
    void readOnlyTransactionsRunOnTheReplicaAndEveryOtherOnThePrimary() {
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(replica).build();
        int id = nextId();
        try (Session s = sessions.openSession()) {
            assertThat(who(s)).isEqualTo("primary");
            s.execute("INSERT INTO " + TABLE + " VALUES (?, 'w')", id);
            s.commit();
            s.readOnly(true);
            assertThat(who(s)).isEqualTo("replica");
            s.commit();
        }
        SessionFactory readOnly = sessions.toBuilder().readOnly(true).build();
        assertThat(readOnly.inTransaction(this::who)).isEqualTo("replica");
        assertThat(readOnly.replicaStatus()).extracting(ReplicaStatus::state).containsExactly(ReplicaState.UP);
    }

    @Test
    void aSessionReadsItsOwnWriteOnThePrimaryUntilTheReplicaHasReplayedIt() {
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(replica).build();
        int id = nextId();
        try (Session writer = sessions.openSession(); Session other = sessions.openSession()) {
            assertThat(readOnlyWhere(writer, id)).isEqualTo("replica:0");
            pauseReplay(replicaAdmin);
            writer.execute("INSERT INTO " + TABLE + " VALUES (?, 'mine')", id);
            writer.commit();

            assertThat(readOnlyWhere(writer, id)).as("the writer, while the replica lags").isEqualTo("primary:1");
            assertThat(readOnlyWhere(other, id)).as("another session: no guarantee").isEqualTo("replica:0");
            assertThat(readOnlyWhere(writer, id)).isEqualTo("primary:1");

            resumeReplay(replicaAdmin);
            awaitOnReplica("SELECT COUNT(*) FROM " + TABLE + " WHERE id = ?", 1L, id);
            assertThat(readOnlyWhere(writer, id)).as("the replica has replayed it").isEqualTo("replica:1");
            assertThat(readOnlyWhere(other, id)).isEqualTo("replica:1");
        }
    }

    @Test
    void aReplicaConnectionCutMidTransactionFailsAsADisconnectAndTheRetryRunsOnThePrimary() {
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(replica).readOnly(true)
                .replicaCooldown(Duration.ofMinutes(5)).build();
        List<String> attempts = new CopyOnWriteArrayList<>();
        String last = sessions.inTransaction(RetryPolicy.on(DisconnectionException.class::isInstance)
                .maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(1)), s -> {
            String where = who(s);
            attempts.add(where);
            if (attempts.size() == 1) {
                terminate(replicaAdmin, connectionId(s));
            }
            return who(s);
        });
        assertThat(attempts).containsExactly("replica", "primary");
        assertThat(last).isEqualTo("primary");
        ReplicaStatus status = sessions.replicaStatus().get(0);
        assertThat(status.state()).isEqualTo(ReplicaState.COOLING_DOWN);
        assertThat(status.lastError()).contains("lost during a transaction");

        // Without a retry, the caller sees the disconnect itself.
        SessionFactory noCooldown = sessions.toBuilder().replicaCooldown(Duration.ZERO).build();
        try (Session s = noCooldown.openSession()) {
            assertThat(who(s)).isEqualTo("replica");
            terminate(replicaAdmin, connectionId(s));
            assertThatThrownBy(() -> who(s)).isInstanceOf(DisconnectionException.class);
            s.rollback();
        }
    }

    /**
     * A private primary + replica; the replica engine of the factory is the private replica, its primary the shared
     * primary. The private servers are stopped: the first read-only transaction after that goes to the primary, at
     * once with {@code poolPrePing} on the replica engine; without it, the dead pooled connection fails either before
     * the transaction (the driver sends the read-only setting at once: the router moves on) or at its first
     * statement, a {@link DisconnectionException} that a {@link RetryPolicy} reruns. Prints both times.
     */
    @Test
    @Timeout(180)
    void readsFallBackToThePrimaryWhenTheReplicaServerStops() {
        int privatePrimary = Servers.freePort();
        int privateReplica = Servers.freePort();
        Servers.Instance instance = Servers.startPrivate(topology(), privateEnv(privatePrimary, privateReplica));
        closeAfterEach.add(instance);
        Engine pinged = engine(replicaUrl(privateReplica), "private-replica-preping", true);
        Engine plain = engine(replicaUrl(privateReplica), "private-replica", false);
        Engine pingedQueue = engine(replicaUrl(privateReplica), "private-replica-queue", true, "queue");
        SessionFactory withPing = SessionFactory.builder().bind(primary).replica(pinged).readOnly(true).build();
        SessionFactory withPingQueue = SessionFactory.builder().bind(primary).replica(pingedQueue).readOnly(true)
                .build();
        assertThat(withPingQueue.inTransaction(this::who)).isEqualTo("replica");
        SessionFactory withoutPing = SessionFactory.builder().bind(primary).replica(plain).readOnly(true).build();
        assertThat(withPing.inTransaction(this::who)).isEqualTo("replica");
        assertThat(withoutPing.inTransaction(this::who)).isEqualTo("replica");

        instance.close(); // the private replica's server stops; its pooled connections are dead

        long t0 = System.nanoTime();
        assertThat(withPing.inTransaction(this::who)).isEqualTo("primary");
        long pingedNanos = System.nanoTime() - t0;
        assertThat(withPing.replicaStatus().get(0).state()).isEqualTo(ReplicaState.COOLING_DOWN);
        long t3 = System.nanoTime();
        assertThat(withPingQueue.inTransaction(this::who)).isEqualTo("primary");
        long queueNanos = System.nanoTime() - t3;

        AtomicInteger attempts = new AtomicInteger();
        long t1 = System.nanoTime();
        String where = withoutPing.inTransaction(RetryPolicy.on(DisconnectionException.class::isInstance)
                .maxAttempts(3).backoff(Duration.ofMillis(1), Duration.ofMillis(1)), s -> {
            attempts.incrementAndGet();
            return who(s);
        });
        long plainNanos = System.nanoTime() - t1;
        assertThat(where).isEqualTo("primary");
        // MariaDB Connector/J sends the read-only setting at once: the dead connection fails there, before the
        // transaction, and the router goes on to the primary. pgJDBC sends it with the first statement, which fails.
        assertThat(attempts.get()).as("attempts").isBetween(1, 2);

        long t2 = System.nanoTime();
        assertThat(withPing.inTransaction(this::who)).isEqualTo("primary");
        long coolingNanos = System.nanoTime() - t2;
        System.out.printf("[scaleout] %s replica stopped: first read-only transaction on the primary after %.1f ms"
                        + " (poolPrePing, hikari), %.1f ms (poolPrePing, queue), %.1f ms without pre-ping (%d attempt(s) of the unit of work); while cooling"
                        + " down %.1f ms%n", topology(), pingedNanos / 1e6, queueNanos / 1e6, plainNanos / 1e6,
                attempts.get(),
                coolingNanos / 1e6);
    }

    /**
     * What read-your-writes costs: one statement on the primary after each commit of a write (its position), one on
     * a replica at the start of a read-only transaction while a position is pending; prints the median time of each
     * next to a plain {@code SELECT 1}.
     */
    @Test
    void readYourWritesCostsOneStatementAfterACommitAndOnePerCheckWhilePending() {
        List<String> onPrimary = new CopyOnWriteArrayList<>();
        List<String> onReplica = new CopyOnWriteArrayList<>();
        StatementListener primaryLog = recorder(onPrimary);
        StatementListener replicaLog = recorder(onReplica);
        primary.addStatementListener(primaryLog);
        replica.addStatementListener(replicaLog);
        closeAfterEach.add(() -> primary.removeStatementListener(primaryLog));
        closeAfterEach.add(() -> replica.removeStatementListener(replicaLog));
        SessionFactory sessions = SessionFactory.builder().bind(primary).replica(replica).build();
        SessionFactory plain = SessionFactory.builder().bind(primary).build();
        int id = nextId();
        try (Session s = sessions.openSession()) {
            s.execute("INSERT INTO " + TABLE + " VALUES (?, 'cost')", id);
            onPrimary.clear();
            s.commit();
            assertThat(onPrimary).as("after the commit: the position").hasSize(1);
            awaitOnReplica("SELECT COUNT(*) FROM " + TABLE + " WHERE id = ?", 1L, id);
            onReplica.clear();
            s.readOnly(true).execute("SELECT 1");
            s.commit();
            assertThat(onReplica).as("the check, then the statement").hasSize(2);
            onReplica.clear();
            s.readOnly(true).execute("SELECT 1");
            s.commit();
            assertThat(onReplica).as("replayed once seen: nothing pending").hasSize(1);
        }
        int n = 200;
        int other = nextId();
        primary.useTransaction(c -> c.execute("INSERT INTO " + TABLE + " VALUES (?, 'other')", other));
        long[] commitWith = new long[n];
        long[] commitWithout = new long[n];
        long[] readChecked = new long[n];
        long[] readClean = new long[n];
        try (Session s = sessions.openSession(); Session p = plain.openSession(); Session r = sessions.openSession()) {
            for (int i = 0; i < n; i++) {
                String v = "v" + i;
                s.execute("UPDATE " + TABLE + " SET v = ? WHERE id = ?", v, id);
                long t = System.nanoTime();
                s.commit();
                commitWith[i] = System.nanoTime() - t;
                p.execute("UPDATE " + TABLE + " SET v = ? WHERE id = ?", v, other);
                t = System.nanoTime();
                p.commit();
                commitWithout[i] = System.nanoTime() - t;
                awaitOnReplica("SELECT COUNT(*) FROM " + TABLE + " WHERE id = ? AND v = ?", 1L, id, v);
                t = System.nanoTime();
                String where = s.readOnly(true).execute(whoSql()).scalar(String.class);
                s.commit();
                readChecked[i] = System.nanoTime() - t;
                assertThat(where).as("replayed: the check passes").isEqualTo("replica");
                t = System.nanoTime();
                r.readOnly(true).execute(whoSql());
                r.commit();
                readClean[i] = System.nanoTime() - t;
            }
        }
        System.out.printf("[scaleout] %s read-your-writes cost (median of %d): commit of a write %.0f us with"
                        + " replicas (position read) vs %.0f us without; read-only transaction on the replica with the"
                        + " check %.0f us vs %.0f us with nothing pending%n", topology(), n, median(commitWith),
                median(commitWithout), median(readChecked), median(readClean));
    }

    static StatementListener recorder(List<String> into) {
        return new StatementListener() {
            @Override
            public void afterStatement(StatementEvent s) {
                into.add(s.sql());
            }
        };
    }

    static double median(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2] / 1e3;
    }
}
