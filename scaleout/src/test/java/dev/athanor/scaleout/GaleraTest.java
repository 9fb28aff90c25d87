package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.CommitInDoubtException;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.RetryPolicy;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionListener;
import dev.athanor.StatementException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An engine over a three-node Galera cluster, on every backend: a node killed under load costs in-flight units at
 * most a {@link DisconnectionException} and later units commit on the other nodes; a certification conflict at COMMIT
 * is retried by {@link RetryPolicy#serializable()}; {@code wsrep_sync_wait} gives read-your-writes on another node.
 */
@UsesServers(Topology.GALERA)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class GaleraTest {
    private static Engine admin;

    @BeforeAll
    static void tables() {
        admin = synced(2);
        admin.useConnection(c -> {
            c.execute("CREATE TABLE IF NOT EXISTS galera_load (id BIGINT PRIMARY KEY, worker INT NOT NULL)");
            c.execute("CREATE TABLE IF NOT EXISTS galera_counter (id INT PRIMARY KEY, v INT NOT NULL)");
            c.commit();
        });
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    /**
     * The cluster, nodes in order: MariaDB Connector/J's sequential mode connects to the first node that answers. The
     * driver skips a host that failed for {@code deniedListTimeout} (60 s by default, for the whole JVM): 1 s here, so
     * that node 0, killed and restarted by one test, is the engine's node again in the next.
     */
    static String clusterUrl() {
        return "mariadb://root@127.0.0.1:" + Topology.galeraPort(0) + ",127.0.0.1:" + Topology.galeraPort(1)
                + ",127.0.0.1:" + Topology.galeraPort(2) + "/test?haMode=sequential&connectTimeout=2000"
                + "&deniedListTimeout=1000";
    }

    static String nodeUrl(int node) {
        return "mariadb://root@127.0.0.1:" + Topology.galeraPort(node) + "/test";
    }

    /** An engine on {@code node} whose reads first wait until the node has applied every commit made before them. */
    static Engine synced(int node) {
        return Engine.builder(nodeUrl(node)).connectArg("sessionVariables", "wsrep_sync_wait=1").build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void aNodeKilledUnderLoadCostsInFlightUnitsADisconnectAtMostAndLaterUnitsCommitElsewhere(String backend)
            throws Exception {
        admin.useConnection(c -> {
            c.execute("DELETE FROM galera_load");
            c.commit();
        });
        RetryPolicy retry = RetryPolicy.serializable().retryOn(e -> e instanceof DisconnectionException)
                .maxAttempts(20).backoff(Duration.ofMillis(5), Duration.ofMillis(250));
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        Set<Long> inDoubt = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger retries = new AtomicInteger();
        AtomicLong ids = new AtomicLong();
        AtomicInteger afterStop = new AtomicInteger();
        AtomicLong firstCommitAfterStop = new AtomicLong();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch warmedUp = new CountDownLatch(100);
        CountDownLatch recovered = new CountDownLatch(100);
        long[] stoppedAt = new long[1];
        try (Engine engine = Engine.builder(clusterUrl()).pool(backend).poolSize(4).maxOverflow(0)
                .poolTimeout(Duration.ofSeconds(10)).build()) {
            SessionFactory sessions = SessionFactory.builder().bind(engine).listener(new SessionListener() {
                @Override
                public void beforeRetry(Session session, int attempt, Throwable failure) {
                    retries.incrementAndGet();
                }
            }).build();
            ExecutorService workers = Executors.newFixedThreadPool(4);
            for (int w = 0; w < 4; w++) {
                int worker = w;
                workers.submit(() -> {
                    while (!done.get()) {
                        long id = ids.incrementAndGet();
                        boolean startedAfterStop = stopped.get();
                        try {
                            sessions.useTransaction(retry, s -> s.execute(
                                    "INSERT INTO galera_load (id, worker) VALUES (?, ?)", id, worker));
                            committed.add(id);
                            warmedUp.countDown();
                            if (startedAfterStop) {
                                firstCommitAfterStop.compareAndSet(0, System.nanoTime());
                                afterStop.incrementAndGet();
                                recovered.countDown();
                            }
                        } catch (CommitInDoubtException e) {
                            inDoubt.add(id);
                            failures.add(e);
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
            }
            try {
                assertThat(warmedUp.await(60, TimeUnit.SECONDS)).as("100 units committed before the stop").isTrue();
                String node = engine.withConnection(c -> c.execute("SELECT @@wsrep_node_name").scalar(String.class));
                assertThat(node).as("the node the engine uses before the kill").isEqualTo("node0");
                stoppedAt[0] = System.nanoTime();
                Servers.script(Topology.GALERA, "stop", "0");
                stopped.set(true);
                assertThat(recovered.await(60, TimeUnit.SECONDS))
                        .as("100 units committed after node 0 was killed (%d did)", afterStop.get()).isTrue();
            } finally {
                done.set(true);
                workers.shutdown();
                assertThat(workers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                Servers.script(Topology.GALERA, "start", "0");
            }
        }
        System.out.printf("[galera] %s: %d committed, %d failed (%d in doubt), %d retries; first commit started"
                        + " after the kill done %d ms after it%n", backend, committed.size(), failures.size(),
                inDoubt.size(), retries.get(), TimeUnit.NANOSECONDS.toMillis(firstCommitAfterStop.get() - stoppedAt[0]));
        assertThat(failures).as("units that failed even after retries").allSatisfy(f ->
                assertThat(f).isInstanceOf(DisconnectionException.class));
        Set<Long> rows = new HashSet<>(admin.withConnection(c ->
                c.execute("SELECT id FROM galera_load").scalars(Long.class)));
        assertThat(rows).as("every committed unit's row is there").containsAll(committed);
        Set<Long> unexplained = new HashSet<>(rows);
        unexplained.removeAll(committed);
        unexplained.removeAll(inDoubt);
        assertThat(unexplained).as("rows of units that reported a failure (and were not in doubt)").isEmpty();
    }

    @Test
    void aCertificationConflictAtCommitIsRetriedBySerializable() throws Exception {
        admin.useConnection(c -> {
            c.execute("DELETE FROM galera_counter");
            c.execute("INSERT INTO galera_counter (id, v) VALUES (1, 0)");
            c.commit();
        });
        List<Throwable> retried = new ArrayList<>();
        CountDownLatch updatedOnNode0 = new CountDownLatch(1);
        CountDownLatch committedOnNode1 = new CountDownLatch(1);
        try (Engine node0 = synced(0); Engine node1 = synced(1)) {
            Integer before = node0.withConnection(c -> c.execute("SELECT v FROM galera_counter WHERE id = 1")
                    .scalar(Integer.class));
            assertThat(before).as("the counter row, read on node 0").isZero();
            SessionFactory sessions0 = SessionFactory.builder().bind(node0).listener(new SessionListener() {
                @Override
                public void beforeRetry(Session session, int attempt, Throwable failure) {
                    retried.add(failure);
                }
            }).build();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                var conflicting = other.submit(() -> {
                    assertThat(updatedOnNode0.await(30, TimeUnit.SECONDS)).isTrue();
                    node1.useTransaction(c -> c.execute("UPDATE galera_counter SET v = v + 10 WHERE id = 1"));
                    committedOnNode1.countDown();
                    return null;
                });
                AtomicInteger attempts = new AtomicInteger();
                sessions0.useTransaction(RetryPolicy.serializable().maxAttempts(3), s -> {
                    s.execute("UPDATE galera_counter SET v = v + 1 WHERE id = 1");
                    if (attempts.incrementAndGet() == 1) {
                        // Node 1 commits a write to the same row while this transaction is open on node 0: node 0
                        // applies it and aborts this one, which fails at COMMIT at the latest.
                        updatedOnNode0.countDown();
                        assertThat(committedOnNode1.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                });
                conflicting.get(30, TimeUnit.SECONDS);
                assertThat(attempts).hasValue(2);
            } finally {
                other.shutdownNow();
            }
            assertThat(retried).singleElement().isInstanceOfSatisfying(StatementException.class, e ->
                    assertThat(e.errorCode() == 1213 || "40001".equals(e.sqlState()))
                            .as("a deadlock / serialization failure: %s", e.getMessage()).isTrue());
            Integer after = node1.withConnection(c -> c.execute("SELECT v FROM galera_counter WHERE id = 1")
                    .scalar(Integer.class));
            assertThat(after).as("both units applied once").isEqualTo(11);
        }
    }

    @Test
    void withWsrepSyncWaitAReadOnAnotherNodeSeesTheCommitJustMade() {
        try (Engine writer = Engine.create(nodeUrl(0));
             Engine reader = synced(1)) {
            writer.useConnection(c -> {
                c.execute("DELETE FROM galera_load");
                c.commit();
            });
            for (long id = 1; id <= 200; id++) {
                long row = id;
                writer.useTransaction(c -> c.execute("INSERT INTO galera_load (id, worker) VALUES (?, 0)", row));
                Long seen = reader.withConnection(c -> c.execute("SELECT COUNT(*) FROM galera_load WHERE id = ?", row)
                        .scalar(Long.class));
                assertThat(seen).as("row %d read on node 1 right after its commit on node 0", row).isEqualTo(1L);
            }
        }
    }
}
