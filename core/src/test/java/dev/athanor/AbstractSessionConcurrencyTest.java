package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.testing.LogCapture;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scoped sessions across threads, thread pools and virtual threads, and retried units of work against real
 * conflicts, written once and run on every database by a thin subclass. Every test is bounded by a timeout.
 */
@Timeout(120)
abstract class AbstractSessionConcurrencyTest {
    private static final RetryPolicy RETRY = RetryPolicy.serializable().maxAttempts(5)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(20));

    protected Engine engine;
    protected String users;
    protected SessionFactory sessions;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final List<String> tables = new ArrayList<>();

    protected abstract TestDatabase database();

    /** How many virtual threads the virtual-thread test starts: 10,000 on H2, fewer on a shared server. */
    protected int virtualThreadTasks() {
        return 10_000;
    }

    @BeforeEach
    void setUp() {
        engine = Engine.builder(database().availableUrl()).build();
        engine.addListener(new PoolListener() {
            @Override
            public void onConnect(java.sql.Connection physical) {
                connects.incrementAndGet();
            }

            @Override
            public void onClose(java.sql.Connection physical) {
                closes.incrementAndGet();
            }
        });
        users = table("users", "(" + database().idColumn() + ", name VARCHAR(100))");
        sessions = SessionFactory.builder().bind(engine).build();
    }

    @AfterEach
    void tearDown() {
        engine.useTransaction(c -> tables.forEach(t -> c.execute("DROP TABLE " + t)));
        engine.close();
    }

    private String table(String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        engine.useTransaction(c -> c.execute("CREATE TABLE " + name + " " + columns));
        tables.add(name);
        return name;
    }

    private long count(String table) {
        return engine.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    private List<String> strings(String sql) {
        return engine.withConnection(c -> c.execute(sql).scalars(String.class));
    }

    private long number(String sql) {
        return engine.withConnection(c -> c.execute(sql).scalar(Long.class));
    }

    private void assertEveryConnectionReturned() {
        assertThat(engine.status().checkedOut()).isZero();
        assertThat(closes.get() + engine.status().checkedIn()).as("physical connections closed or idle in the pool"
                + " (%s)", engine.status()).isEqualTo(connects.get());
    }

    @Test
    void removeInOneThreadLeavesAnotherThreadsSessionAlone() throws Exception {
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Session> theirs = other.submit(() -> {
                Session s = db.current();
                db.execute("INSERT INTO " + users + " (name) VALUES (:n)", Map.of("n", "theirs"));
                written.countDown();
                assertThat(removed.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(db.current()).isSameAs(s);
                db.commit();
                db.remove();
                return s;
            });
            assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();
            Session mine = db.current();
            db.execute("INSERT INTO " + users + " (name) VALUES (:n)", Map.of("n", "mine"));
            db.remove();
            removed.countDown();
            assertThat(theirs.get(10, TimeUnit.SECONDS)).isNotSameAs(mine);
        } finally {
            other.shutdownNow();
        }
        assertThat(strings("SELECT name FROM " + users))
                .containsExactly("theirs");
        assertEveryConnectionReturned();
    }

    @Test
    void inScopeOnAFixedPoolOfTwoRunningAThousandTasksLeaksNothing() throws Exception {
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        Set<Session> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger reused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                tasks.add(pool.submit(() -> db.inScope(() -> {
                    if (db.has() || !seen.add(db.current())) {
                        reused.incrementAndGet();
                    }
                    // Every task gets a session; every 5th writes (each write is a physical connect in core's
                    // NullPool, ~10 ms on PostgreSQL), and every 50th fails after writing.
                    if (n % 5 == 0) {
                        db.execute("INSERT INTO " + users + " (name) VALUES (:n)", Map.of("n", "task" + n));
                    }
                    if (n % 50 == 0) {
                        throw new IllegalStateException("rolled back on purpose");
                    }
                })));
            }
            int failed = 0;
            for (Future<?> f : tasks) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).hasMessage("rolled back on purpose");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(20);
            CyclicBarrier bothThreads = new CyclicBarrier(2);
            List<Future<Boolean>> leftBound = List.of(pool.submit(() -> {
                bothThreads.await(10, TimeUnit.SECONDS);
                return db.has();
            }), pool.submit(() -> {
                bothThreads.await(10, TimeUnit.SECONDS);
                return db.has();
            }));
            for (Future<Boolean> f : leftBound) {
                assertThat(f.get(10, TimeUnit.SECONDS)).as("a session left bound to a pool thread").isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reused).as("a task saw another task's session").hasValue(0);
        assertThat(seen).hasSize(1000).allMatch(Session::isClosed);
        assertThat(count(users)).isEqualTo(180);
        assertEveryConnectionReturned();
    }

    @Test
    @Tag("virtual-threads")
    void virtualThreadsEachInScopeFinishWithEveryConnectionReturned() throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "this JDK has no virtual threads");
            return;
        }
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        // Without a queue pool in core, every scope opens a physical connection: bound how many are open at once.
        Semaphore connections = new Semaphore(8);
        int tasks = virtualThreadTasks();
        try {
            List<Future<?>> futures = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                futures.add(executor.submit(() -> {
                    connections.acquire();
                    try {
                        db.inScope(() -> db.execute("INSERT INTO " + users + " (name) VALUES ('v')"));
                    } finally {
                        connections.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(count(users)).isEqualTo(tasks);
        assertEveryConnectionReturned();
    }

    @Test
    void aSerializationFailureIsRetriedAndEachUnitCommitsExactlyOnce() throws Exception {
        String counters = table("ctr", "(id INT PRIMARY KEY, n INT)");
        String log = table("log", "(" + database().idColumn() + ", unit VARCHAR(10))");
        engine.useTransaction(c -> c.execute("INSERT INTO " + counters + " (id, n) VALUES (1, 0)"));
        CyclicBarrier bothRead = new CyclicBarrier(2);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Unit increment = name -> sessions.useTransaction(RETRY, s -> {
            int attempt = attempts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            s.isolationLevel(IsolationLevel.SERIALIZABLE);
            long n = s.execute("SELECT n FROM " + counters + " WHERE id = 1").scalar(Long.class);
            if (attempt == 1) {
                bothRead.await(10, TimeUnit.SECONDS);
            }
            s.execute("UPDATE " + counters + " SET n = :n WHERE id = 1", Map.of("n", n + 1));
            s.execute("INSERT INTO " + log + " (unit) VALUES (:u)", Map.of("u", name));
        });
        List<String> warnings = runConcurrently(increment);
        assertThat(number("SELECT n FROM " + counters))
                .as("no lost update").isEqualTo(2L);
        assertCommittedOnceEach(log, attempts, warnings);
    }

    @Test
    void aDeadlockIsRetriedAndEachUnitCommitsExactlyOnce() throws Exception {
        String locks = table("lck", "(id INT PRIMARY KEY, n INT)");
        String log = table("log", "(" + database().idColumn() + ", unit VARCHAR(10))");
        engine.useTransaction(c -> c.execute("INSERT INTO " + locks + " (id, n) VALUES (1, 0), (2, 0)"));
        CyclicBarrier bothLocked = new CyclicBarrier(2);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Unit lockBoth = name -> sessions.useTransaction(RETRY, s -> {
            int attempt = attempts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            int first = name.equals("a") ? 1 : 2;
            s.execute("SELECT n FROM " + locks + " WHERE id = ? FOR UPDATE", first).all();
            if (attempt == 1) {
                bothLocked.await(10, TimeUnit.SECONDS);
            }
            s.execute("SELECT n FROM " + locks + " WHERE id = ? FOR UPDATE", 3 - first).all();
            s.execute("UPDATE " + locks + " SET n = n + 1");
            s.execute("INSERT INTO " + log + " (unit) VALUES (:u)", Map.of("u", name));
        });
        List<String> warnings = runConcurrently(lockBoth);
        assertThat(number("SELECT sum(n) FROM " + locks))
                .isEqualTo(4L);
        assertCommittedOnceEach(log, attempts, warnings);
    }

    /** Runs units "a" and "b" on two threads; returns the retry warnings logged meanwhile. */
    private List<String> runConcurrently(Unit unit) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            Future<?> a = two.submit(() -> {
                unit.run("a");
                return null;
            });
            Future<?> b = two.submit(() -> {
                unit.run("b");
                return null;
            });
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            return log.warnings().stream().filter(m -> m.startsWith("[" + sessions.name() + "]"))
                    .collect(Collectors.toList());
        } finally {
            two.shutdownNow();
        }
    }

    private void assertCommittedOnceEach(String log, Map<String, AtomicInteger> attempts, List<String> warnings) {
        assertThat(strings("SELECT unit FROM " + log + " ORDER BY unit")).containsExactly("a", "b");
        int total = attempts.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).as("attempts " + attempts).isGreaterThanOrEqualTo(3);
        assertThat(warnings).hasSize(total - 2)
                .allMatch(m -> m.contains("unit of work failed on attempt") && m.contains("retrying in"));
        assertEveryConnectionReturned();
    }

    @FunctionalInterface
    private interface Unit {
        void run(String name) throws Exception;
    }
}
