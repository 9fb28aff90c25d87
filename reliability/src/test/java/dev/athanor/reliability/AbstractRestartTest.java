package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.AthanorException;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.SessionFactory;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 1, database restart under load, as the client sees one: the servers are shared with other tests, so the
 * cluster itself is not restarted. Instead the engine reaches the database through a {@link TcpProxy}; "the database
 * goes down" is: the proxy refuses new connections, the server terminates every connection of this engine
 * ({@code pg_terminate_backend} / {@code KILL}, selected by this test's application name or user) and the proxy
 * drops every live socket; "the database is back" is the proxy accepting again. The load is units of work from
 * several threads, alternately engine transaction blocks and {@code SessionFactory} units of work.
 *
 * <p>With {@code poolPrePing} no unit of work started after the database is back fails. Without it, failures after
 * the database is back are at most the number of pooled connections and each is a {@link DisconnectionException}.
 * Every failure, also while the database is down, is an Athanor exception; each committed unit's row is there once,
 * and no failed unit's row is, except for a unit whose {@code COMMIT} itself was cut off: its outcome is unknown to
 * any client (the server may have committed just before the connection died), and its
 * {@link DisconnectionException#sql()} says {@code COMMIT}.
 */
abstract class AbstractRestartTest {
    static final int POOL_SIZE = 4;
    static final int WORKERS = POOL_SIZE;
    static final int WARM_UNITS = 5;
    static final Duration DOWN = Duration.ofMillis(400);
    static final Duration THINK = Duration.ofMillis(5);

    abstract TestDatabase database();

    /** How the database goes away. */
    enum Shape {
        /** Down for {@link #DOWN} while the workers keep trying. */
        OUTAGE_UNDER_LOAD,
        /** Restarted in an instant between two units of work: the pool comes back full of dead connections. */
        RESTART_BETWEEN_UNITS
    }

    static Stream<Arguments> backendsPrePingAndShapes() {
        return Backends.names().stream().flatMap(b -> Stream.of(true, false).flatMap(p -> Stream.of(Shape.values())
                .map(shape -> Arguments.of(b, p, shape))));
    }

    /** What one unit of work did. */
    private static final class Outcome {
        final long id;
        final long startNanos;
        final long endNanos;
        final Throwable failure;

        Outcome(long id, long startNanos, long endNanos, Throwable failure) {
            this.id = id;
            this.startNanos = startNanos;
            this.endNanos = endNanos;
            this.failure = failure;
        }
    }

    @ParameterizedTest(name = "{0}, prePing={1}, {2}")
    @MethodSource("backendsPrePingAndShapes")
    @Timeout(90)
    void unitsOfWorkSurviveARestartUnderLoad(String backend, boolean prePing, Shape shape) throws Exception {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(0).poolPrePing(prePing)
                    .poolTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(3)).build()) {
                String table = target.table("rel_restart");
                target.admin("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, worker INT)");
                String insert = "INSERT INTO " + table + " (id, worker) VALUES (:id, :worker)";
                String count = "SELECT count(*) FROM " + table + " WHERE worker = :w";
                SessionFactory sessions = SessionFactory.builder().bind(engine).build();

                ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
                AtomicLong backAt = new AtomicLong(Long.MAX_VALUE);
                CountDownLatch warm = new CountDownLatch(WORKERS);
                CountDownLatch healed = new CountDownLatch(WORKERS);
                AtomicLong ids = new AtomicLong();
                AtomicBoolean stop = new AtomicBoolean();
                // Workers hold the read side for each unit; the restart between units takes the write side.
                ReadWriteLock gate = new ReentrantReadWriteLock();
                ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    pool.execute(() -> {
                        int done = 0;
                        int afterBack = 0;
                        while (!stop.get()) {
                            long id = ids.incrementAndGet();
                            gate.readLock().lock();
                            long start = System.nanoTime();
                            Throwable failure = null;
                            try {
                                if ((id & 1) == 0) {
                                    engine.useTransaction(c -> {
                                        c.execute(insert, Map.of("id", id, "worker", worker));
                                        c.execute(count, Map.of("w", worker)).scalar();
                                    });
                                } else {
                                    sessions.useTransaction(s -> {
                                        s.execute(insert, Map.of("id", id, "worker", worker));
                                        s.execute(count, Map.of("w", worker)).scalar();
                                    });
                                }
                            } catch (Throwable t) {
                                failure = t;
                            } finally {
                                gate.readLock().unlock();
                            }
                            outcomes.add(new Outcome(id, start, System.nanoTime(), failure));
                            if (failure == null && ++done == WARM_UNITS) {
                                warm.countDown();
                            }
                            if (failure == null && start - backAt.get() > 0 && ++afterBack == WARM_UNITS) {
                                healed.countDown();
                            }
                            AbstractOverloadTest.sleepQuietly(failure == null ? THINK.toMillis() : 20);
                        }
                    });
                }
                assertThat(warm.await(30, TimeUnit.SECONDS)).as("workers warmed up").isTrue();
                int pooledAtRestart = target.serverConnections();

                // The database goes down...
                if (shape == Shape.RESTART_BETWEEN_UNITS) {
                    gate.writeLock().lock();
                }
                long downAt = System.nanoTime();
                proxy.mode(TcpProxy.Mode.REFUSE);
                int killed = target.killAll();
                proxy.dropAll();
                long goneMs = 0;
                if (shape == Shape.OUTAGE_UNDER_LOAD) {
                    Thread.sleep(DOWN.toMillis()); // the outage: workers keep trying meanwhile
                } else {
                    goneMs = Await.until(Duration.ofSeconds(10), () -> target.serverConnections() == 0);
                }
                // ... and comes back.
                proxy.mode(TcpProxy.Mode.PASS);
                backAt.set(System.nanoTime());
                if (shape == Shape.RESTART_BETWEEN_UNITS) {
                    gate.writeLock().unlock();
                }
                // Checked after the gate is open again, so a failure here does not leave the workers blocked.
                assertThat(goneMs).as("ms until the server listed none of the pool's %d killed sessions (-1: some"
                        + " still listed after 10 s, so this was no restart)", killed).isNotNegative();
                boolean recovered = healed.await(30, TimeUnit.SECONDS);
                stop.set(true);
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("workers stop").isTrue();
                assertThat(recovered).as("every worker completes units after the database is back").isTrue();

                long back = backAt.get();
                List<Outcome> all = new ArrayList<>(outcomes);
                List<Throwable> failures = all.stream().filter(o -> o.failure != null).map(o -> o.failure)
                        .collect(Collectors.toList());
                List<Outcome> failedAfterBack = all.stream().filter(o -> o.failure != null && o.startNanos - back > 0)
                        .collect(Collectors.toList());
                long firstSuccessAfterBack = all.stream().filter(o -> o.failure == null && o.endNanos - back > 0)
                        .mapToLong(o -> o.endNanos).min().orElse(back);

                assertThat(failures).as("failures are Athanor exceptions")
                        .allSatisfy(f -> assertThat(f).isInstanceOf(AthanorException.class));
                if (prePing) {
                    assertThat(failedAfterBack).as("units started after the database was back that failed")
                            .extracting(o -> o.failure).isEmpty();
                } else {
                    assertThat(failedAfterBack.size()).as("failures after the database was back")
                            .isLessThanOrEqualTo(POOL_SIZE);
                    assertThat(failedAfterBack).extracting(o -> o.failure)
                            .allSatisfy(f -> assertThat(f).isInstanceOf(DisconnectionException.class));
                }
                // A unit whose COMMIT was cut off by the outage is in doubt, as with any database client: the server
                // may have committed before the connection died. Its failure says so (sql() is COMMIT).
                Set<Long> committed = all.stream().filter(o -> o.failure == null).map(o -> o.id)
                        .collect(Collectors.toSet());
                Set<Long> inDoubt = all.stream().filter(o -> isCutCommit(o.failure)).map(o -> o.id)
                        .collect(Collectors.toSet());
                List<Long> rows = engine.withConnection(c -> c.execute("SELECT id FROM " + table).scalars(Long.class));
                assertThat(rows).as("rows: each committed unit's, once").doesNotHaveDuplicates()
                        .containsAll(committed);
                assertThat(rows).as("rows of failed units that were not in doubt")
                        .allSatisfy(id -> assertThat(committed.contains(id) || inDoubt.contains(id)).isTrue());
                long inDoubtCommitted = rows.stream().filter(inDoubt::contains).count();
                assertThat(engine.status().checkedOut()).as("checked out at the end").isZero();
                int atEnd = Await.atMost(Duration.ofSeconds(15), POOL_SIZE, target::serverConnections);
                assertThat(atEnd).as("server connections at the end").isLessThanOrEqualTo(POOL_SIZE);

                Figures.of("restart" + (prePing ? "+prePing" : "") + ":" + shape, backend, database())
                        .put("pooledAtRestart", pooledAtRestart).put("killed", killed)
                        .put("units", all.size()).put("failuresWhileDown", failures.size() - failedAfterBack.size())
                        .put("failuresAfterBack", failedAfterBack.size())
                        .put("failureTypes", types(failures))
                        .put("healMs", (firstSuccessAfterBack - back) / 1_000_000)
                        .put("downMs", (back - downAt) / 1_000_000)
                        .put("inDoubtCommits", inDoubt.size()).put("inDoubtCommitted", inDoubtCommitted)
                        .put("serverConnectionsAtEnd", atEnd).record();
            }
        }
    }

    private static boolean isCutCommit(Throwable failure) {
        return failure instanceof DisconnectionException && "COMMIT".equals(((DisconnectionException) failure).sql());
    }

    private static Map<String, Long> types(List<Throwable> failures) {
        return failures.stream().collect(Collectors.groupingBy(f -> f.getClass().getSimpleName(), TreeMap::new,
                Collectors.counting()));
    }
}
