package dev.athanor.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.PoolListener;
import dev.athanor.ScopedSession;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;
import dev.athanor.mybatis.example.Blog;
import dev.athanor.mybatis.example.BlogMapper;
import dev.athanor.mybatis.example.User;
import dev.athanor.mybatis.example.UserMapper;
import dev.athanor.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MyBatis mappers inside Athanor sessions on a real database, over the seeds' users/blogs layout (two databases, each
 * with its own mapper): written once, run on H2, PostgreSQL and MariaDB by thin subclasses, and on every pool backend.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"dbcp", "c3p0", "hikari"})
abstract class AbstractMyBatisTest {
    static final int BATCH_ROWS = 10_000;

    @Parameter
    String backend;

    protected ExampleDatabases dbs;
    protected MyBatisSessionFactory orm;

    protected abstract TestDatabase database();

    @BeforeEach
    void setUp() {
        Backends.assumePresent(backend);
        dbs = ExampleDatabases.create(database(), backend);
        SessionFactory sessions = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
        orm = MyBatisSessionFactory.builder(sessions)
                .mapper(UserMapper.class)
                .mapper(BlogMapper.class, "blogs")
                .configure(c -> c.setMapUnderscoreToCamelCase(true))
                .build();
    }

    @AfterEach
    void tearDown() {
        if (dbs != null) {
            dbs.close();
        }
    }

    private static User user(String name) {
        return new User(name, name + "@example.com");
    }

    private static List<String> names(List<User> users) {
        List<String> names = new ArrayList<>(users.size());
        users.forEach(u -> names.add(u.getName()));
        return names;
    }

    @Test
    void mapperCallsAndRawSqlCommitTogether() {
        try (MyBatisSession s = orm.openSession()) {
            User ann = user("ann");
            s.mapper(UserMapper.class).insert(ann);
            assertThat(ann.getId()).as("generated key").isNotNull();
            s.execute("INSERT INTO users (name, email) VALUES (:n, :e)", Map.of("n", "bob", "e", "bob@example.com"));
            assertThat(s.mapper(UserMapper.class).count()).as("the mapper sees the raw insert: same transaction")
                    .isEqualTo(2);
            assertThat(dbs.users()).as("nothing is visible outside before the commit").isZero();
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(2);
    }

    @Test
    void mapperCallsAndRawSqlRollBackTogether() {
        try (MyBatisSession s = orm.openSession()) {
            s.mapper(UserMapper.class).insert(user("ann"));
            s.execute("INSERT INTO users (name, email) VALUES (:n, :e)", Map.of("n", "bob", "e", "bob@example.com"));
            s.rollback();
            assertThat(s.mapper(UserMapper.class).count()).isZero();
        }
        orm.useTransaction(s -> s.mapper(UserMapper.class).insert(user("cid")));
        assertThat(dbs.users()).as("only the later unit of work").isEqualTo(1);
    }

    @Test
    void mapperCallsFollowTheSessionAcrossCommitsOnAFreshConnectionEachTime() {
        AtomicInteger checkouts = new AtomicInteger();
        dbs.users.addListener(new PoolListener() {
            @Override
            public void onCheckout(java.sql.Connection pooled) {
                checkouts.incrementAndGet();
            }
        });
        try (MyBatisSession s = orm.openSession()) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("ann"));
            s.commit();
            assertThat(dbs.users.status().checkedOut()).as("commit gives the connection back").isZero();

            users.insert(user("bob"));
            assertThat(users.count()).isEqualTo(2);
            s.execute("INSERT INTO users (name, email) VALUES (:n, :e)", Map.of("n", "cid", "e", "cid@example.com"));
            s.commit();
            assertThat(dbs.users.status().checkedOut()).isZero();

            users.insert(user("dan"));
            s.rollback();
            assertThat(names(users.findAll())).as("rollback, then a mapper call").containsExactly("ann", "bob", "cid");
            s.commit();
        }
        assertThat(checkouts).as("one checkout per transaction").hasValue(4);
        assertThat(dbs.users.status().checkedOut()).isZero();
        assertThat(dbs.users()).isEqualTo(3);
    }

    @Test
    void aQueryAfterRollingBackToASavepointNeverReturnsRolledBackRows() {
        try (MyBatisSession s = orm.openSession()) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("ann"));
            try (SessionSavepoint sp = s.beginNested()) {
                users.insert(user("bob"));
                assertThat(names(users.findAll())).containsExactly("ann", "bob"); // now in MyBatis's local cache
                sp.rollback();
            }
            assertThat(names(users.findAll())).containsExactly("ann");
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void theLocalCacheIsEmptiedByTheSessionsOwnStatementsAndByCommit() {
        try (MyBatisSession s = orm.openSession()) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("ann"));
            assertThat(names(users.findAll())).containsExactly("ann");
            s.execute("INSERT INTO users (name, email) VALUES (:n, :e)", Map.of("n", "bob", "e", "bob@example.com"));
            assertThat(names(users.findAll())).as("after execute(...)").containsExactly("ann", "bob");
            s.commit();

            orm.useTransaction(other -> other.mapper(UserMapper.class).insert(user("cid")));
            assertThat(names(users.findAll())).as("a new transaction, a new cache")
                    .containsExactly("ann", "bob", "cid");
            s.commit();
        }
    }

    @Test
    void twoDatabasesCommitAndRollBackAsOneUnitOfWork() {
        long annId = orm.inTransaction(s -> {
            User ann = user("ann");
            s.mapper(UserMapper.class).insert(ann);
            s.mapper(BlogMapper.class).insert(new Blog(ann.getId(), "Hello"));
            s.execute("blogs", "INSERT INTO blogs (user_id, title) VALUES (:u, :t)",
                    Map.of("u", ann.getId(), "t", "Again"));
            return ann.getId();
        });
        assertThat(dbs.users()).isEqualTo(1);
        assertThat(dbs.blogs()).isEqualTo(2);

        assertThatThrownBy(() -> orm.useTransaction(s -> {
            s.mapper(UserMapper.class).insert(user("bob"));
            s.mapper(BlogMapper.class).insert(new Blog(annId, "Lost"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(dbs.users()).isEqualTo(1);
        assertThat(dbs.blogs()).isEqualTo(2);

        List<Blog> blogs = orm.inTransaction(s -> s.mapper(BlogMapper.class).findByUser(annId));
        assertThat(blogs).extracting(Blog::getTitle).containsExactly("Hello", "Again");
        assertThat(blogs).extracting(Blog::getUserId).containsOnly(annId); // user_id, by mapUnderscoreToCamelCase
        assertThat(dbs.users.status().checkedOut()).isZero();
        assertThat(dbs.blogs.status().checkedOut()).isZero();
    }

    @Test
    void aFailedMapperCallLeavesTheUnitOfWorkToRollBack() {
        try (MyBatisSession s = orm.openSession()) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("ann"));
            assertThatThrownBy(() -> users.insert(user("ann"))).as("duplicate email")
                    .isInstanceOf(PersistenceException.class);
            s.rollback();
            users.insert(user("bob"));
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> names(s.mapper(UserMapper.class).findAll()));
        assertThat(names).containsExactly("bob");
    }

    @Test
    @Timeout(60)
    void scopedSessionsGiveEachThreadItsOwnMapperSession() throws Exception {
        ScopedSession<MyBatisSession> db = ScopedSession.threadLocal(orm);
        int threads = 4;
        int tasks = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Thread, Set<MyBatisSession>> seen = new ConcurrentHashMap<>();
        CountDownLatch allThreadsBusy = new CountDownLatch(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try {
                        MyBatisSession s = db.current();
                        assertThat(db.current()).isSameAs(s);
                        seen.computeIfAbsent(Thread.currentThread(), t -> ConcurrentHashMap.newKeySet()).add(s);
                        try {
                            User u = user("u" + n);
                            s.mapper(UserMapper.class).insert(u);
                            s.mapper(BlogMapper.class).insert(new Blog(u.getId(), "post " + n));
                        } finally {
                            if (n < threads) {
                                allThreadsBusy.countDown(); // the first tasks hold their sessions open together
                            }
                        }
                        if (n < threads) {
                            assertThat(allThreadsBusy.await(30, TimeUnit.SECONDS)).as("all threads busy").isTrue();
                        }
                        db.commit();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        db.remove();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(dbs.users()).isEqualTo(tasks);
        assertThat(dbs.blogs()).isEqualTo(tasks);
        Set<MyBatisSession> all = ConcurrentHashMap.newKeySet();
        seen.values().forEach(sessions -> {
            assertThat(all).doesNotContainAnyElementsOf(sessions); // no session crossed threads
            all.addAll(sessions);
        });
        assertThat(all).hasSize(tasks).allMatch(MyBatisSession::isClosed);
        assertThat(dbs.users.status().checkedOut()).isZero();
        assertThat(dbs.blogs.status().checkedOut()).isZero();
    }

    @Test
    @Timeout(60)
    void inScopeBlocksOnAThreadPoolCommitTheirMapperWork() throws Exception {
        ScopedSession<MyBatisSession> db = ScopedSession.threadLocal(orm);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                futures.add(pool.submit(() -> db.inScope(() -> {
                    db.current().mapper(UserMapper.class).insert(user("s" + n));
                    if (n % 3 == 0) {
                        throw new IllegalStateException("rolled back " + n);
                    }
                })));
            }
            int failed = 0;
            for (Future<?> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).hasMessageStartingWith("rolled back");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(dbs.users()).isEqualTo(8);
        assertThat(db.has()).isFalse();
    }

    @Test
    @Timeout(120)
    void batchModeSendsTenThousandInsertsBeforeTheCommit() {
        try (MyBatisSession warmUp = orm.openSession(ExecutorType.BATCH)) { // JIT and driver warm-up, rolled back
            for (int i = 0; i < BATCH_ROWS / 10; i++) {
                warmUp.mapper(UserMapper.class).insert(user("w" + i));
            }
            warmUp.flushStatements();
        }
        long start = System.nanoTime();
        List<BatchResult> batches;
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            UserMapper users = s.mapper(UserMapper.class);
            for (int i = 0; i < BATCH_ROWS; i++) {
                users.insert(user("b" + i));
            }
            // What was sent, and how: MyBatis's batch executor fills one JDBC batch per statement and sends it with
            // executeBatch(), whose update counts become the BatchResult. A session that ran each insert on its own
            // (a SIMPLE executor) would flush nothing here.
            batches = s.flushStatements();
            assertThat(dbs.users()).as("rows another connection sees before the commit").isZero();
            s.commit();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(batches).as("JDBC batches sent (executeBatch calls)").hasSize(1);
        int[] counts = batches.get(0).getUpdateCounts();
        assertThat(counts.length).as("statements in the one batch").isEqualTo(BATCH_ROWS);
        assertThat(java.util.Arrays.stream(counts).filter(n -> n != 1 && n != java.sql.Statement.SUCCESS_NO_INFO))
                .as("update counts in the batch other than one row (or SUCCESS_NO_INFO)").isEmpty();
        assertThat(dbs.users()).isEqualTo(BATCH_ROWS);
        BatchTimes.record(database(), backend, BATCH_ROWS, millis);
    }

    @Test
    void batchModeDiscardsQueuedStatementsOnRollbackAndOnRollbackToASavepoint() {
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("gone"));
            s.rollback();

            users.insert(user("ann")); // queued before the savepoint: sent before it is set
            try (SessionSavepoint sp = s.beginNested()) {
                users.insert(user("bob"));
                users.insert(user("cid"));
                sp.rollback();
            }
            users.insert(user("dan"));
            assertThat(names(users.findAll())).as("a query sends the queue first").containsExactly("ann", "dan");
            users.insert(user("eve"));
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> names(s.mapper(UserMapper.class).findAll()));
        assertThat(names).containsExactly("ann", "dan", "eve");
    }

    @Test
    void aBatchThatFailsAtCommitCommitsNothingAndLeavesTheSessionToRollBack() {
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            UserMapper users = s.mapper(UserMapper.class);
            users.insert(user("ann"));
            users.insert(user("ann")); // duplicate email: fails when the batch is sent
            assertThatThrownBy(s::commit).isInstanceOf(PersistenceException.class);
            assertThat(s.isActive()).as("the commit did not happen; the transaction is open").isTrue();
            s.rollback();
            users.insert(user("bob"));
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> names(s.mapper(UserMapper.class).findAll()));
        assertThat(names).containsExactly("bob");
    }

    @Test
    void batchModeSendsTheQueueBeforeTheSessionsOwnStatements() {
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            s.mapper(UserMapper.class).insert(user("ann"));
            s.mapper(BlogMapper.class).insert(new Blog(1L, "queued"));
            assertThat(s.execute("SELECT count(*) FROM users").scalar(Long.class)).isEqualTo(1);
            assertThat(s.execute("blogs", "SELECT count(*) FROM blogs", Map.of()).scalar(Long.class)).isEqualTo(1);
            s.commit();
        }
    }

    @Test
    void reuseModeKeepsWorkingAcrossTransactions() {
        try (MyBatisSession s = orm.openSession(ExecutorType.REUSE)) {
            UserMapper users = s.mapper(UserMapper.class);
            for (int round = 0; round < 3; round++) {
                users.insert(user("r" + round));
                assertThat(users.count()).isEqualTo(round + 1);
                s.commit();
            }
        }
        assertThat(dbs.users()).isEqualTo(3);
    }
}
