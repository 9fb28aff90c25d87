package dev.athanor.pool.dbcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolListener;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.ResetOnReturn;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TimeScale;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dbcp backend's QueuePool rules on a real database, written once and run on H2, PostgreSQL and MariaDB by thin
 * subclasses. Open connections are counted by the server ({@link ServerView}) as well as by the engine's events.
 */
abstract class AbstractDbcpPoolTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    private final List<Engine> engines = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    /** Pool events of the last engine built, in order. */
    protected final List<String> events = new CopyOnWriteArrayList<>();
    /** Physical connections of the last engine built that are open now (connect minus close events). */
    protected final AtomicInteger physicalOpen = new AtomicInteger();
    protected final AtomicInteger physicalMax = new AtomicInteger();
    protected ServerView server;
    protected String tag;

    protected abstract TestDatabase database();

    /** A dbcp engine builder whose connections carry a unique tag (pool name, PostgreSQL application_name). */
    protected EngineBuilder builder() {
        tag = TestDatabase.uniqueName("dbcp");
        EngineBuilder b = Engine.builder(database().availableUrl()).pool("dbcp").poolName(tag).poolTimeout(Duration.ofSeconds(10));
        if (database() == TestDatabase.POSTGRESQL) {
            b.connectArg("ApplicationName", tag);
        }
        return b;
    }

    protected Engine build(EngineBuilder b) throws SQLException {
        Engine engine = b.build();
        engines.add(engine);
        events.clear();
        physicalOpen.set(0);
        physicalMax.set(0);
        engine.addListener(new Recorder());
        if (server != null) {
            server.close();
        }
        server = new ServerView(database(), engine.url(), tag);
        return engine;
    }

    @AfterEach
    void closeEverything() throws SQLException {
        for (Engine e : engines) {
            e.close();
        }
        if (server != null) {
            for (String table : tables) {
                server.execute("DROP TABLE " + table);
            }
            server.close();
        }
    }

    private String createTable(Engine engine) {
        String table = TestDatabase.uniqueName("dbcp_t");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (" + database().idColumn()
                + ", name VARCHAR(50))"));
        tables.add(table);
        return table;
    }

    private static List<Connection> checkOut(Engine engine, int n) {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(engine.connect());
        }
        return held;
    }

    private List<Long> ids(List<Connection> connections) {
        List<Long> ids = new ArrayList<>();
        for (Connection c : connections) {
            ids.add(server.idOf(c));
        }
        return ids;
    }

    @Test
    void poolStartsEmptyAndGrowsByOneOnFirstCheckout() throws Exception {
        Engine engine = build(builder());
        assertThat(engine.status().open()).isZero();
        assertThat(events).isEmpty();
        if (database() == TestDatabase.POSTGRESQL) {
            assertThat(server.openTagged()).isZero();
        }

        try (Connection c = engine.connect()) {
            long id = server.idOf(c);
            assertThat(events).containsExactly("connect", "checkout");
            server.awaitOpen(List.of(id), 1);
            if (database() == TestDatabase.POSTGRESQL) {
                server.awaitOpenTagged(1);
            }
            assertThat(engine.status()).hasToString(
                    "Pool size: 5  Connections in pool: 0 Current Overflow: -4 Current Checked out connections: 1");
        }
        assertThat(engine.status().checkedIn()).isEqualTo(1);
    }

    @Test
    void sizePlusOverflowCheckoutsSucceedAndOneMoreTimesOutWithTheQueuePoolMessage() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2).poolTimeout(SHORT));
        List<Connection> held = checkOut(engine, 4);
        List<Long> ids = ids(held);
        server.awaitOpen(ids, 4);

        long start = System.nanoTime();
        assertThatThrownBy(engine::connect)
                .isInstanceOf(PoolTimeoutException.class)
                .hasMessage("[" + tag + "] QueuePool limit of size 2 overflow 2 reached, connection timed out,"
                        + " timeout 0.30");
        long waited = System.nanoTime() - start;
        assertThat(waited).as("waited at least the sub-second poolTimeout").isGreaterThanOrEqualTo(SHORT.toNanos());
        assertThat(waited).as("and not much longer").isLessThan(TimeScale.millis(3000).toNanos());
        assertThat(engine.status().checkedOut()).isEqualTo(4);
        held.forEach(Connection::close);
        server.awaitOpen(ids, 2);
    }

    @Test
    void overflowConnectionsAreClosedAtCheckin() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(2));
        List<Connection> held = checkOut(engine, 3);
        List<Long> ids = ids(held);
        server.awaitOpen(ids, 3);

        held.get(0).close();
        assertThat(events).doesNotContain("close");
        held.get(1).close();
        assertThat(events).containsSubsequence("checkin", "checkin", "close");
        assertThat(physicalOpen).hasValue(2);
        held.get(2).close();
        assertThat(physicalOpen).hasValue(1);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        server.awaitOpen(ids, 1);
    }

    @Test
    void maxOverflowMinusOneIsUnlimited() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(-1).poolTimeout(SHORT));
        List<Connection> held = checkOut(engine, 6);
        List<Long> ids = ids(held);
        server.awaitOpen(ids, 6);
        assertThat(engine.status().overflow()).isEqualTo(5);
        held.forEach(Connection::close);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        server.awaitOpen(ids, 1);
    }

    @Test
    void poolSizeZeroHasNoLimitAndKeepsEveryConnection() throws Exception {
        Engine engine = build(builder().poolSize(0).poolTimeout(SHORT));
        List<Connection> held = checkOut(engine, 6);
        List<Long> ids = ids(held);
        held.forEach(Connection::close);
        assertThat(engine.status()).hasToString(
                "Pool size: 0  Connections in pool: 6 Current Overflow: 0 Current Checked out connections: 0");
        server.awaitOpen(ids, 6);
    }

    @Test
    void recycleReplacesAnOldConnectionAtCheckout() throws Exception {
        Engine engine = build(builder().poolSize(1).poolRecycle(Duration.ofNanos(1)));
        long first;
        try (Connection c = engine.connect()) {
            first = server.idOf(c);
        }
        long second;
        try (Connection c = engine.connect()) {
            second = server.idOf(c);
        }
        assertThat(second).isNotEqualTo(first);
        assertThat(events).containsSubsequence("checkin", "invalidate", "close", "connect", "checkout");
        server.awaitOpen(List.of(first, second), 1);
        assertThat(engine.status().open()).isEqualTo(1);
    }

    @Test
    void prePingReplacesAKilledConnectionWithoutTheBorrowerSeeingAnError() throws Exception {
        Engine engine = build(builder().poolSize(2).poolPrePing(true));
        List<Connection> held = checkOut(engine, 2);
        List<Long> before = ids(held);
        held.forEach(Connection::close);
        server.kill(before.get(0));

        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
            assertThat(before).doesNotContain(server.idOf(c));
        }
        // The killed one failed its ping; the other was opened before that moment and is replaced too.
        assertThat(events.stream().filter("invalidate"::equals).count()).as(events.toString()).isEqualTo(2);
        assertThat(engine.status().open()).isEqualTo(1);
        server.awaitOpen(before, 0);
    }

    @ParameterizedTest
    @EnumSource(ResetOnReturn.class)
    void resetOnReturnIsVisibleFromAnotherConnection(ResetOnReturn reset) throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(0).resetOnReturn(reset));
        String table = createTable(engine);
        long id;
        try (Connection c = engine.connect()) {
            id = server.idOf(c);
            c.execute("INSERT INTO " + table + " (name) VALUES (:n)", Map.of("n", "ann"));
        }
        assertThat(server.rows(table)).isEqualTo(reset == ResetOnReturn.COMMIT ? 1 : 0);
        try (Connection c = engine.connect()) {
            assertThat(server.idOf(c)).isEqualTo(id);
            c.jdbc().commit();
        }
        // Only NONE left the insert pending on the connection, for the next borrower's commit.
        assertThat(server.rows(table)).isEqualTo(reset == ResetOnReturn.ROLLBACK ? 0 : 1);
    }

    @Test
    void autoCommitAndTheEngineIsolationLevelAreRestoredForTheNextBorrower() throws Exception {
        Engine engine = build(builder().poolSize(1).isolationLevel(IsolationLevel.READ_COMMITTED));
        try (Connection c = engine.connect()) {
            c.jdbc().setAutoCommit(true);
            c.jdbc().setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        }
        try (Connection c = engine.connect()) {
            assertThat(c.jdbc().getAutoCommit()).isFalse();
            assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_READ_COMMITTED);
        }
        assertThat(events).containsOnlyOnce("connect");
    }

    @Test
    void theDriverDefaultIsolationLevelIsRestoredWhenTheEngineSetsNone() throws Exception {
        Engine engine = build(builder().poolSize(1));
        int original;
        try (Connection c = engine.connect()) {
            original = c.jdbc().getTransactionIsolation();
            c.jdbc().setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
        }
        try (Connection c = engine.connect()) {
            assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(original);
        }
        assertThat(events).containsOnlyOnce("connect");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void idleConnectionsAreReusedFifoOrLifo(boolean lifo) throws Exception {
        Engine engine = build(builder().poolSize(3).maxOverflow(0).useLifo(lifo));
        List<Connection> held = checkOut(engine, 3);
        List<Long> returned = ids(held);
        held.forEach(Connection::close);
        List<Long> reused = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Connection c = engine.connect()) {
                reused.add(server.idOf(c));
            }
        }
        if (lifo) {
            assertThat(reused).containsExactly(returned.get(2), returned.get(2), returned.get(2));
        } else {
            assertThat(reused).containsExactlyElementsOf(returned);
        }
    }

    @Test
    void statusCountsFollowCheckoutsAndCheckins() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(1));
        List<Connection> held = checkOut(engine, 3);
        assertThat(engine.status()).hasToString(
                "Pool size: 2  Connections in pool: 0 Current Overflow: 1 Current Checked out connections: 3");
        held.get(0).close();
        PoolStatus one = engine.status();
        assertThat(List.of(one.size(), one.checkedIn(), one.checkedOut(), one.overflow())).containsExactly(2, 1, 2, 1);
        held.get(1).close();
        held.get(2).close();
        assertThat(engine.status()).hasToString(
                "Pool size: 2  Connections in pool: 2 Current Overflow: 0 Current Checked out connections: 0");
    }

    @Test
    void listenerEventsComeInTheEngineOrder() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(1));
        Connection a = engine.connect();
        Connection b = engine.connect();
        a.close();
        b.close();
        Connection c = engine.connect();
        c.invalidate();
        c.close();
        engine.connect().close();
        engine.dispose();
        assertThat(events).containsExactly(
                "connect", "checkout", "connect", "checkout",
                "checkin", "checkin", "close",
                "checkout", "invalidate", "close",
                "connect", "checkout", "checkin",
                "close");
    }

    @Test
    void disposeClosesIdleConnectionsAndTheEngineKeepsWorking() throws Exception {
        Engine engine = build(builder().poolSize(3));
        List<Connection> held = checkOut(engine, 2);
        List<Long> ids = ids(held);
        held.forEach(Connection::close);
        assertThat(engine.status().checkedIn()).isEqualTo(2);

        engine.dispose();
        assertThat(engine.status().open()).isZero();
        server.awaitOpen(ids, 0);
        int one = engine.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
        assertThat(one).isEqualTo(1);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void twentyThreadsNeverOpenMoreThanSizePlusOverflowAndCountsReturnToZero() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2));
        List<PoolStatus> samples = new CopyOnWriteArrayList<>();
        Hammer.run(20, 25, () -> {
            try (Connection c = engine.connect()) {
                c.execute("SELECT 1").scalar();
                samples.add(engine.status());
            }
        });
        assertThat(physicalMax.get()).isLessThanOrEqualTo(4);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.checkedIn()).isBetween(0, 4);
            assertThat(s.checkedOut()).isBetween(0, 4);
            assertThat(s.open()).isLessThanOrEqualTo(4);
        });
        PoolStatus after = engine.status();
        assertThat(after.checkedOut()).isZero();
        assertThat(after.checkedIn()).isEqualTo(physicalOpen.get()).isBetween(1, 2);
        if (database() == TestDatabase.POSTGRESQL) {
            server.awaitOpenTagged(physicalOpen.get());
        }
    }

    @Test
    void theEvictorValidatesIdleConnectionsAndClosesOldOnesWithTheEngineCountingAlong() throws Exception {
        Engine engine = build(builder().poolSize(2)
                .backendProperty("timeBetweenEvictionRunsMillis", "3600000") // runs when the test says so
                .backendProperty("testWhileIdle", "true")
                .backendProperty("validationQuery", "SELECT 1")
                .backendProperty("connectionInitSqls", "SELECT 2"));
        List<Connection> held = checkOut(engine, 2);
        List<Long> ids = ids(held);
        held.forEach(Connection::close);
        GenericObjectPool<?> pool = engine.unwrap(GenericObjectPool.class);
        pool.evict();
        assertThat(engine.status().checkedIn()).as("both passed validation").isEqualTo(2);
        server.awaitOpen(ids, 2);

        pool.setMinEvictableIdleDuration(Duration.ofNanos(1));
        pool.setNumTestsPerEvictionRun(2);
        long start = System.nanoTime();
        while (pool.getNumIdle() > 0) { // idle for more than a nanosecond, soon
            assertThat(System.nanoTime() - start).isLessThan(TimeScale.millis(5000).toNanos());
            pool.evict();
        }
        assertThat(engine.status().checkedIn()).isZero();
        assertThat(events).containsSubsequence("checkin", "checkin", "close", "close");
        server.awaitOpen(ids, 0);
        int one = engine.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
        assertThat(one).isEqualTo(1);
    }

    /** Records pool events and tracks physically open connections. */
    private final class Recorder implements PoolListener {
        @Override
        public void onConnect(java.sql.Connection physical) {
            events.add("connect");
            physicalMax.accumulateAndGet(physicalOpen.incrementAndGet(), Math::max);
        }

        @Override
        public void onCheckout(java.sql.Connection pooled) {
            events.add("checkout");
        }

        @Override
        public void onCheckin(java.sql.Connection pooled) {
            events.add("checkin");
        }

        @Override
        public void onInvalidate(java.sql.Connection pooled, Throwable cause) {
            events.add("invalidate");
        }

        @Override
        public void onClose(java.sql.Connection physical) {
            events.add("close");
            physicalOpen.decrementAndGet();
        }
    }
}
