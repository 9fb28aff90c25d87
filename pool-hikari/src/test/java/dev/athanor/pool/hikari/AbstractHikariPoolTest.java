package dev.athanor.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolListener;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.ResetOnReturn;
import dev.athanor.StatementException;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TimeScale;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SQLAlchemy's QueuePool rules on the {@code hikari} backend, written once and run against each database by a thin
 * subclass. Open-connection counts come from the server ({@link ServerView}), not from the pool.
 */
abstract class AbstractHikariPoolTest {
    private final List<Engine> engines = new ArrayList<>();
    private String url;
    private ServerView server;

    protected abstract TestDatabase database();

    @BeforeEach
    void openServerView() throws SQLException {
        database().assumeAvailable();
        url = database().url();
        server = ServerView.of(database(), url);
    }

    @AfterEach
    void closeEngines() throws SQLException {
        engines.forEach(Engine::close);
        if (server != null) {
            server.close();
        }
    }

    private EngineBuilder builder() {
        return server.configure(Engine.builder(url).pool("hikari").poolName(TestDatabase.uniqueName("hikari")));
    }

    private Engine build(EngineBuilder builder) {
        Engine engine = builder.build();
        engines.add(engine);
        server.attach(engine);
        return engine;
    }

    private static List<Connection> hold(Engine engine, int n) {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(engine.connect());
        }
        return held;
    }

    private static PhysicalConnection physical(Connection c) throws SQLException {
        return c.jdbc().unwrap(PhysicalConnection.class);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    // ---- sizing

    @Test
    void startsEmptyAndOpensOneConnectionAtTheFirstCheckout() throws Exception {
        Engine engine = build(builder().poolSize(3).maxOverflow(2));
        HikariPoolMXBean mx = engine.unwrap(HikariPoolMXBean.class); // starts HikariCP
        assertThat(mx.getTotalConnections()).isZero();
        assertThat(server.open()).isZero();

        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
            assertThat(server.open()).isEqualTo(1);
            assertThat(engine.status().checkedOut()).isEqualTo(1);
        }
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        assertThat(server.open()).isEqualTo(1);
    }

    @Test
    void poolSizePlusOverflowCheckoutsSucceedAndTheNextTimesOutWithQueuePoolsMessage() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(1).poolTimeout(Duration.ofMillis(300)));
        List<Connection> held = hold(engine, 3);
        server.assertOpenSoon(3);

        long start = System.nanoTime();
        assertThatThrownBy(engine::connect).isInstanceOfSatisfying(PoolTimeoutException.class, e -> {
            assertThat(e).hasMessage("[" + engine.name()
                    + "] QueuePool limit of size 2 overflow 1 reached, connection timed out, timeout 0.30");
        });
        assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(TimeScale.millis(1300));
        assertThat(engine.status().checkedOut()).isEqualTo(3);
        assertThat(server.open()).isEqualTo(3);
        held.forEach(Connection::close);
    }

    @Test
    void timeoutsBelowHikarisFloorOf250MillisecondsAreHonoured() {
        Engine engine = build(builder().poolSize(1).maxOverflow(0).poolTimeout(Duration.ofMillis(50)));
        try (Connection held = engine.connect()) {
            Duration fastest = Duration.ofDays(1);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(engine::connect).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageEndingWith("timeout 0.05");
                Duration waited = since(start);
                assertThat(waited).as("not before the timeout").isGreaterThanOrEqualTo(Duration.ofMillis(50));
                fastest = waited.compareTo(fastest) < 0 ? waited : fastest;
            }
            // HikariCP's floor would make every wait 250 ms or more; a busy machine makes only some waits late.
            assertThat(fastest).as("the shortest of 5 waits").isLessThan(Duration.ofMillis(240));
        }
    }

    @Test
    void aZeroTimeoutFailsAtOnceAtTheLimitButStillOpensBelowIt() {
        Engine engine = build(builder().poolSize(1).maxOverflow(0).poolTimeout(Duration.ZERO));
        try (Connection held = engine.connect()) {
            Duration fastest = Duration.ofDays(1);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(engine::connect).isInstanceOf(PoolTimeoutException.class)
                        .hasMessageEndingWith("timeout 0.00");
                Duration waited = since(start);
                fastest = waited.compareTo(fastest) < 0 ? waited : fastest;
            }
            // HikariCP's floor would make every wait 250 ms or more; a busy machine makes only some waits late.
            assertThat(fastest).as("the shortest of 5 waits").isLessThan(Duration.ofMillis(200));
        }
    }

    @Test
    void aConnectionReturnedWhilePoolSizeAreIdleIsClosedAtOnce() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(2));
        Events events = Events.on(engine);
        List<Connection> held = hold(engine, 3);
        server.assertOpenSoon(3);

        held.get(0).close();
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        assertThat(events.count("close")).isZero();
        held.get(1).close();
        assertThat(events.count("close")).isEqualTo(1);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        server.assertOpenSoon(2);
        held.get(2).close();
        assertThat(events.count("close")).isEqualTo(2);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        assertThat(engine.status().open()).isEqualTo(1);
        server.assertOpenSoon(1);
    }

    @Test
    void maxOverflowMinusOneIsUnlimited() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(-1).poolTimeout(Duration.ofMillis(200)));
        assertThat(engine.unwrap(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(Integer.MAX_VALUE);
        List<Connection> held = hold(engine, 6);
        server.assertOpenSoon(6);
        assertThat(engine.status().overflow()).isEqualTo(5);
        held.forEach(Connection::close);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        server.assertOpenSoon(1);
    }

    @Test
    void poolSizeZeroLimitsNothing() throws Exception {
        Engine engine = build(builder().poolSize(0).maxOverflow(0));
        List<Connection> held = hold(engine, 5);
        held.forEach(Connection::close);
        PoolStatus status = engine.status();
        assertThat(status.checkedIn()).isEqualTo(5);
        assertThat(status).hasToString(
                "Pool size: 0  Connections in pool: 5 Current Overflow: 0 Current Checked out connections: 0");
        server.assertOpenSoon(5);
    }

    // ---- recycle, pre-ping

    @Test
    void aConnectionOlderThanPoolRecycleIsReplacedAtCheckout() throws Exception {
        Engine engine = build(builder().poolSize(1).poolRecycle(Duration.ofMillis(300)));
        PhysicalConnection first;
        try (Connection c = engine.connect()) {
            first = physical(c);
        }
        try (Connection c = engine.connect()) {
            assertThat(physical(c)).as("reused while young").isSameAs(first);
        }
        Thread.sleep(400); // let it age past poolRecycle
        try (Connection c = engine.connect()) {
            assertThat(physical(c)).isNotSameAs(first);
            assertThat(first.isClosed()).isTrue();
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
        server.assertOpenSoon(1);
    }

    @Test
    void prePingReplacesKilledConnectionsWithoutTheBorrowerSeeingAnError() throws Exception {
        Engine engine = build(builder().poolSize(2).poolPrePing(true));
        Events events = Events.on(engine);
        hold(engine, 2).forEach(Connection::close);
        server.killAll();
        server.assertOpenSoon(0);

        List<Connection> again = hold(engine, 2);
        for (Connection c : again) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
        assertThat(events.count("invalidate")).isEqualTo(2);
        assertThat(events.count("connect")).isEqualTo(4);
        again.forEach(Connection::close);
        server.assertOpenSoon(2);
        assertThat(engine.status().checkedIn()).isEqualTo(2);
    }

    @Test
    void withoutPrePingNothingIsPingedEvenPastHikarisAliveCheckWindow() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(0));
        PhysicalConnection first;
        try (Connection c = engine.connect()) {
            first = physical(c);
        }
        server.killAll();
        server.assertOpenSoon(0);
        Thread.sleep(600); // HikariCP would test a connection idle for more than 500 ms before lending it
        try (Connection c = engine.connect()) {
            assertThat(physical(c)).as("the dead connection is lent, as SQLAlchemy does").isSameAs(first);
            assertThatThrownBy(() -> c.execute("SELECT 1")).isInstanceOf(StatementException.class);
        }
        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
    }

    // ---- reset on return

    private String table() throws SQLException {
        String table = TestDatabase.uniqueName("hk_reset");
        server.update("CREATE TABLE " + table + " (n INT)");
        return table;
    }

    @Test
    void resetOnReturnRollbackDiscardsUncommittedWork() throws Exception {
        String table = table();
        try {
            Engine engine = build(builder().poolSize(1).maxOverflow(0));
            try (Connection c = engine.connect()) {
                c.execute("INSERT INTO " + table + " (n) VALUES (1)");
            }
            assertThat(server.count("SELECT count(*) FROM " + table)).isZero();
            try (Connection c = engine.connect()) {
                assertThat(c.execute("SELECT count(*) FROM " + table).scalar(Long.class)).isZero();
            }
        } finally {
            server.update("DROP TABLE " + table);
        }
    }

    @Test
    void resetOnReturnCommitCommitsTheBorrowersWork() throws Exception {
        String table = table();
        try {
            Engine engine = build(builder().poolSize(1).maxOverflow(0).resetOnReturn(ResetOnReturn.COMMIT));
            try (Connection c = engine.connect()) {
                c.execute("INSERT INTO " + table + " (n) VALUES (1)");
            }
            assertThat(server.count("SELECT count(*) FROM " + table)).isEqualTo(1);
        } finally {
            server.update("DROP TABLE " + table);
        }
    }

    @Test
    void resetOnReturnNoneLeavesTheTransactionOpenForTheNextBorrower() throws Exception {
        String table = table();
        try {
            Engine engine = build(builder().poolSize(1).maxOverflow(0).resetOnReturn(ResetOnReturn.NONE));
            try (Connection c = engine.connect()) {
                c.execute("INSERT INTO " + table + " (n) VALUES (1)");
            }
            assertThat(server.count("SELECT count(*) FROM " + table)).as("not committed").isZero();
            try (Connection c = engine.connect()) {
                assertThat(c.execute("SELECT count(*) FROM " + table).scalar(Long.class))
                        .as("HikariCP did not roll it back").isEqualTo(1);
                c.commit();
            }
            assertThat(server.count("SELECT count(*) FROM " + table)).isEqualTo(1);
        } finally {
            server.update("DROP TABLE " + table);
        }
    }

    @Test
    void autoCommitIsolationAndReadOnlyAreRestoredForTheNextBorrower() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(0));
        int defaultLevel;
        try (Connection c = engine.connect()) {
            java.sql.Connection jdbc = c.jdbc();
            defaultLevel = jdbc.getTransactionIsolation();
            int other = defaultLevel == java.sql.Connection.TRANSACTION_SERIALIZABLE
                    ? java.sql.Connection.TRANSACTION_READ_COMMITTED : java.sql.Connection.TRANSACTION_SERIALIZABLE;
            jdbc.setTransactionIsolation(other);
            jdbc.setReadOnly(true);
            jdbc.setAutoCommit(true);
        }
        try (Connection c = engine.connect()) {
            java.sql.Connection jdbc = c.jdbc();
            assertThat(jdbc.getAutoCommit()).isFalse();
            assertThat(jdbc.getTransactionIsolation()).isEqualTo(defaultLevel);
            assertThat(jdbc.isReadOnly()).isFalse();
        }
        assertThat(engine.status().checkedIn()).isEqualTo(1);
    }

    @Test
    void theEnginesIsolationLevelIsTheOneRestored() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(0).isolationLevel(IsolationLevel.SERIALIZABLE));
        try (Connection c = engine.connect()) {
            assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
            c.jdbc().setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_COMMITTED);
        }
        try (Connection c = engine.connect()) {
            assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        }
    }

    // ---- status, events, dispose

    @Test
    void statusCountsAndText() {
        Engine engine = build(builder().poolSize(3).maxOverflow(2));
        assertThat(engine.status()).hasToString(
                "Pool size: 3  Connections in pool: 0 Current Overflow: -3 Current Checked out connections: 0");
        List<Connection> held = hold(engine, 2);
        assertThat(engine.status()).hasToString(
                "Pool size: 3  Connections in pool: 0 Current Overflow: -1 Current Checked out connections: 2");
        held.get(0).close();
        PoolStatus status = engine.status();
        assertThat(status.checkedIn()).isEqualTo(1);
        assertThat(status.checkedOut()).isEqualTo(1);
        assertThat(status.overflow()).isEqualTo(-1);
        held.get(1).close();
        assertThat(engine.status()).hasToString(
                "Pool size: 3  Connections in pool: 2 Current Overflow: -1 Current Checked out connections: 0");
    }

    @Test
    void listenerEventsFireInTheSameOrderAsOnEveryBackend() {
        Engine engine = build(builder().poolSize(1).maxOverflow(1));
        Events events = Events.on(engine);
        Connection a = engine.connect();
        assertThat(events.drain()).containsExactly("connect", "checkout");
        Connection b = engine.connect();
        assertThat(events.drain()).containsExactly("connect", "checkout");
        a.close();
        assertThat(events.drain()).containsExactly("checkin");
        b.close();
        assertThat(events.drain()).as("over poolSize idle: closed").containsExactly("checkin", "close");
        Connection c = engine.connect();
        assertThat(events.drain()).containsExactly("checkout");
        c.invalidate();
        assertThat(events.drain()).containsExactly("invalidate", "close");
        Connection d = engine.connect();
        assertThat(events.drain()).containsExactly("connect", "checkout");
        d.close();
        assertThat(events.drain()).containsExactly("checkin");
        engine.dispose();
        assertThat(events.drain()).containsExactly("close");
        engine.close();
        assertThat(events.drain()).isEmpty();
    }

    @Test
    void disposeClosesIdleConnectionsAndTheEngineKeepsWorking() throws Exception {
        Engine engine = build(builder().poolSize(3));
        List<Connection> held = hold(engine, 3);
        held.get(1).close();
        held.get(2).close();
        server.assertOpenSoon(3);

        engine.dispose();
        assertThat(engine.status().checkedIn()).isZero();
        assertThat(engine.status().checkedOut()).isEqualTo(1);
        server.assertOpenSoon(1);

        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
        held.get(0).close();
        try (Connection c1 = engine.connect(); Connection c2 = engine.connect()) {
            assertThat(c1.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
            assertThat(c2.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
        assertThat(engine.status().checkedOut()).isZero();
        server.assertOpenSoon(engine.status().checkedIn());
    }

    @Test
    void closingTheEngineClosesIdleAndBorrowedConnections() throws Exception {
        Engine engine = build(builder().poolSize(2));
        Events events = Events.on(engine);
        List<Connection> held = hold(engine, 2);
        held.get(0).close();
        engine.close();
        assertThat(events.count("close")).isEqualTo(2);
        server.assertOpenSoon(0);
        held.get(1).close(); // returning after close is harmless
        assertThat(engine.status().checkedOut()).isZero();
    }

    // ---- failures and concurrency

    @Test
    @Timeout(30)
    void checkoutsWaitingWhenBothBorrowedConnectionsAreKilledOnTheServerAreServedLongBeforeTheirTimeout()
            throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(1).poolTimeout(Duration.ofSeconds(5)));
        List<Connection> borrowed = hold(engine, 2);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> waiters = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                waiters.add(threads.submit(() -> {
                    started.countDown();
                    try (Connection c = engine.connect()) {
                        return c.execute("SELECT 1").scalar(Integer.class);
                    }
                }));
            }
            assertThat(started.await(5, TimeUnit.SECONDS)).as("5 checkouts started").isTrue();
            assertThat(waiters).as("checkouts waiting for a slot (both connections are borrowed)")
                    .noneMatch(Future::isDone);

            server.killAll();
            server.assertOpenSoon(0);
            long killed = System.nanoTime();
            for (Connection c : borrowed) {
                assertThatThrownBy(() -> c.execute("SELECT 1")).isInstanceOf(DisconnectionException.class);
                c.close();
            }
            Duration prompt = TimeScale.millis(2000);
            for (Future<Integer> w : waiters) {
                long left = Math.max(0, prompt.toNanos() - (System.nanoTime() - killed));
                assertThat(w.get(left, TimeUnit.NANOSECONDS)).as("a waiter is served once the lost connections"
                        + " are invalidated, not at its 5 s timeout").isEqualTo(1);
            }
            assertThat(engine.status().checkedOut()).isZero();
            server.assertOpenSoon(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedConnectReportsTheDriverErrorAtOnceAndLeavesCountsUnchanged() {
        Engine engine = build(server.configure(Engine.builder(ServerView.missingDatabaseUrl(database(), url))
                .pool("hikari").poolTimeout(Duration.ofSeconds(20))));
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class)
                    .hasMessageContaining("could not connect");
            assertThat(since(start)).as("not after poolTimeout").isLessThan(Duration.ofSeconds(10));
            PoolStatus status = engine.status();
            assertThat(status.checkedIn()).isZero();
            assertThat(status.checkedOut()).isZero();
            assertThat(status.overflow()).isEqualTo(-5);
        }
    }

    @Test
    @Timeout(60)
    void twentyThreadsNeverOpenMoreThanPoolSizePlusOverflow() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2).poolTimeout(Duration.ofSeconds(20)));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger negative = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(21);
        try {
            Future<?> sampler = threads.submit(() -> {
                while (running.get()) {
                    maxSeen.accumulateAndGet(server.open(), Math::max);
                    PoolStatus s = engine.status();
                    if (s.checkedIn() < 0 || s.checkedOut() < 0 || s.open() > 4) {
                        negative.incrementAndGet();
                    }
                    Thread.sleep(2);
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                workers.add(threads.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        try (Connection c = engine.connect()) {
                            c.execute("SELECT 1").scalar();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(50, TimeUnit.SECONDS);
            }
            running.set(false);
            sampler.get(10, TimeUnit.SECONDS);
            maxSeen.accumulateAndGet(server.open(), Math::max); // at least one sample with connections open
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        assertThat(maxSeen.get()).isBetween(1, 4);
        assertThat(negative).hasValue(0);
        PoolStatus status = engine.status();
        assertThat(status.checkedOut()).isZero();
        assertThat(status.checkedIn()).isBetween(1, 2);
        server.assertOpenSoon(status.checkedIn());
    }

    // ---- backend properties

    @Test
    void backendPropertiesReachHikariAndStartingItOpensNothing() throws Exception {
        Engine engine = build(builder().backendProperty("leakDetectionThreshold", "5000"));
        HikariDataSource hikari = engine.unwrap(HikariDataSource.class);
        assertThat(hikari.getLeakDetectionThreshold()).isEqualTo(5000);
        assertThat(hikari.getMinimumIdle()).isZero();
        assertThat(hikari.getMaximumPoolSize()).isEqualTo(15);
        assertThat(hikari.isAutoCommit()).isFalse();
        assertThat(server.open()).isZero();
    }

    @Test
    void connectionInitSqlRunsAndCommitsOnEveryNewConnection() throws Exception {
        String table = table();
        try {
            Engine engine = build(builder().poolSize(2)
                    .backendProperty("connectionInitSql", "INSERT INTO " + table + " (n) VALUES (7)"));
            List<Connection> held = hold(engine, 2);
            held.forEach(Connection::close);
            assertThat(server.count("SELECT count(*) FROM " + table)).isEqualTo(2);
        } finally {
            server.update("DROP TABLE " + table);
        }
    }

    @Test
    void aFailingConnectionInitSqlIsReportedLikeAFailedConnect() throws Exception {
        Engine engine = build(builder().poolTimeout(Duration.ofSeconds(20))
                .backendProperty("connectionInitSql", "SELECT * FROM athanor_no_such_table"));
        Events events = Events.on(engine);
        long start = System.nanoTime();
        assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class)
                .hasMessageContaining("could not connect");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
        assertThat(engine.status().open()).isZero();
        assertThat(events.drain()).containsExactly("connect", "close");
        server.assertOpenSoon(0);
    }

    /** Records pool events by name, in order; safe to fill from HikariCP's threads. */
    static final class Events implements PoolListener {
        private final List<String> seen = new CopyOnWriteArrayList<>();

        static Events on(Engine engine) {
            Events events = new Events();
            engine.addListener(events);
            return events;
        }

        List<String> drain() {
            List<String> copy = List.copyOf(seen);
            seen.clear();
            return copy;
        }

        long count(String event) {
            return seen.stream().filter(event::equals).count();
        }

        @Override
        public void onConnect(java.sql.Connection physical) {
            seen.add("connect");
        }

        @Override
        public void onCheckout(java.sql.Connection pooled) {
            seen.add("checkout");
        }

        @Override
        public void onCheckin(java.sql.Connection pooled) {
            seen.add("checkin");
        }

        @Override
        public void onInvalidate(java.sql.Connection pooled, Throwable cause) {
            seen.add("invalidate");
        }

        @Override
        public void onClose(java.sql.Connection physical) {
            seen.add("close");
        }
    }
}
