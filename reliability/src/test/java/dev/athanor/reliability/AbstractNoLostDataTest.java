package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.Result;
import dev.athanor.SessionFactory;
import dev.athanor.StatementException;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 4, no lost data and no leaks: many unit-of-work cycles, alternately an engine transaction block and a
 * {@code SessionFactory} unit of work, 10 % of them failing at a random point (before the first statement, between
 * statements, with a failing statement, after the last statement), from several threads. Every committed row is
 * present exactly once, no row of a failed unit is, no connection stays checked out
 * and the server's count returns to at most {@code poolSize}.
 *
 * <p>Cycles: {@code athanor.reliability.cycles} on H2 (CI 100,000; {@code -Preliability-full} 1,000,000) and
 * {@code athanor.reliability.serverCycles} on PostgreSQL and MariaDB (CI 10,000; full 100,000).
 */
abstract class AbstractNoLostDataTest {
    static final int POOL_SIZE = 4;
    static final int WORKERS = 4;
    static final int FAILURE_PERCENT = 10;

    abstract TestDatabase database();

    int cycles() {
        return database() == TestDatabase.H2 ? property("athanor.reliability.cycles", 100_000)
                : property("athanor.reliability.serverCycles", 10_000);
    }

    /** A whole-number system property; a value that is not one fails the test instead of falling back. */
    static int property(String name, int byDefault) {
        String value = System.getProperty(name, "").strip();
        return value.isEmpty() ? byDefault : Integer.parseInt(value.replace("_", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the full profile's million cycles; CI sizes take seconds
    void everyCommittedRowIsPresentOnceAndNoFailedRowAndNoConnectionLeaks(String backend) throws Exception {
        long seed = Long.getLong("athanor.reliability.seed", System.nanoTime());
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(2)
                     .poolTimeout(Duration.ofSeconds(30)).build()) {
            String parent = target.table("rel_parent");
            String child = target.table("rel_child");
            target.admin("CREATE TABLE " + parent + " (id BIGINT PRIMARY KEY, worker INT NOT NULL, note VARCHAR(40))");
            target.admin("CREATE TABLE " + child + " (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL)");
            String insertParent = "INSERT INTO " + parent + " (id, worker, note) VALUES (:id, :worker, :note)";
            String insertChild = "INSERT INTO " + child + " (id, parent_id) VALUES (:id, :id)";
            int cycles = cycles();
            int perWorker = cycles / WORKERS;
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            SessionFactory sessions = SessionFactory.builder().bind(engine).build();

            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<BitSet>> futures = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed + worker);
                    BitSet committed = new BitSet(perWorker);
                    for (int i = 0; i < perWorker; i++) {
                        long id = (long) worker * perWorker + i;
                        int failAt = random.nextInt(100) < FAILURE_PERCENT ? random.nextInt(4) : -1;
                        try {
                            if ((i & 1) == 0) {
                                engine.useTransaction(c -> unit(c::execute, insertParent, insertChild, id, worker,
                                        failAt));
                            } else {
                                sessions.useTransaction(s -> unit(s::execute, insertParent, insertChild, id, worker,
                                        failAt));
                            }
                            if (failAt >= 0) {
                                unexpected.add(new AssertionError("unit " + id + " was to fail at " + failAt));
                            }
                            committed.set(i);
                        } catch (InjectedFailure e) {
                            if (failAt < 0) {
                                unexpected.add(e);
                            }
                        } catch (StatementException e) {
                            if (failAt != 2) {
                                unexpected.add(e);
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                    return committed;
                }));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(25, TimeUnit.MINUTES)).as("workers finish").isTrue();
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(unexpected).as("unexpected outcomes (seed " + seed + ")").isEmpty();
            BitSet expected = new BitSet(cycles);
            for (int w = 0; w < WORKERS; w++) {
                BitSet committed = futures.get(w).get();
                for (int i = committed.nextSetBit(0); i >= 0; i = committed.nextSetBit(i + 1)) {
                    expected.set(w * perWorker + i);
                }
            }
            BitSet parents = ids(engine, "SELECT id FROM " + parent);
            BitSet children = ids(engine, "SELECT id FROM " + child);
            long parentRows = target.adminCount("SELECT count(*) FROM " + parent);
            long childRows = target.adminCount("SELECT count(*) FROM " + child);
            assertThat(parentRows).as("parent rows (each once)").isEqualTo(expected.cardinality());
            assertThat(childRows).as("child rows (each once)").isEqualTo(expected.cardinality());
            assertThat(parents).as("parent ids = committed units (seed " + seed + ")").isEqualTo(expected);
            assertThat(children).as("child ids = committed units (seed " + seed + ")").isEqualTo(expected);
            assertThat(engine.status().checkedOut()).as("connections checked out at the end").isZero();
            int atEnd = Await.atMost(Duration.ofSeconds(15), POOL_SIZE, target::serverConnections);
            assertThat(atEnd).as("server connections at the end").isLessThanOrEqualTo(POOL_SIZE);

            Figures.of("noLostData", backend, database()).put("cycles", perWorker * WORKERS)
                    .put("committed", expected.cardinality())
                    .put("failed", perWorker * WORKERS - expected.cardinality())
                    .put("checkedOutAtEnd", engine.status().checkedOut()).put("serverConnectionsAtEnd", atEnd)
                    .put("elapsedMs", elapsedMillis)
                    .put("cyclesPerSecond", elapsedMillis == 0 ? 0 : perWorker * WORKERS * 1000L / elapsedMillis)
                    .record();
        }
    }

    /**
     * One unit: two inserts, through a connection or a session; {@code failAt} 0, 1 or 3 throws from the caller's
     * code, 2 runs a failing statement.
     */
    private static void unit(BiFunction<String, Map<String, ?>, Result> execute, String insertParent,
                             String insertChild, long id, int worker, int failAt) {
        if (failAt == 0) {
            throw new InjectedFailure(id, failAt);
        }
        execute.apply(insertParent, Map.of("id", id, "worker", worker, "note", "unit " + id));
        if (failAt == 1) {
            throw new InjectedFailure(id, failAt);
        }
        if (failAt == 2) {
            execute.apply(insertParent, Map.of("id", id, "worker", worker, "note", "duplicate")); // primary key
        }
        execute.apply(insertChild, Map.of("id", id));
        if (failAt == 3) {
            throw new InjectedFailure(id, failAt);
        }
    }

    private static BitSet ids(Engine engine, String sql) {
        BitSet ids = new BitSet();
        engine.useConnection(c -> {
            try (var rows = c.fetchSize(10_000).execute(sql).stream()) {
                rows.forEach(r -> ids.set(Math.toIntExact(r.get(0, Long.class))));
            }
        });
        return ids;
    }

    /** The failure a unit of work throws on purpose. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(long id, int point) {
            super("injected failure of unit " + id + " at point " + point, null, false, false);
        }
    }
}
