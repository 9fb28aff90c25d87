package dev.athanor.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mchange.v2.c3p0.PooledDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolListener;
import dev.athanor.PoolTimeoutException;
import dev.athanor.ResetOnReturn;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TimeScale;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The QueuePool rules on the c3p0 backend, written once and run on every database by a thin subclass. Open
 * connections are counted by the engine's connect/close events, and on PostgreSQL also by the server itself
 * ({@code pg_stat_activity} filtered by this engine's unique {@code application_name}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class AbstractC3p0BackendTest {
    private final List<Engine> engines = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private String appName;
    private String url;

    protected abstract TestDatabase database();

    @BeforeEach
    void pickDatabase() {
        database().assumeAvailable();
        url = database().url(); // one database per test: H2 gives a fresh in-memory one per call
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    /** A c3p0 engine on this database that records pool events and tags its connections with a unique name. */
    private EngineBuilder builder() {
        appName = TestDatabase.uniqueName("c3p0");
        EngineBuilder b = Engine.builder(url).pool("c3p0").poolName(appName);
        if (database() == TestDatabase.POSTGRESQL) {
            b.connectArg("ApplicationName", appName);
        }
        return b;
    }

    private Engine start(EngineBuilder b) {
        Engine e = b.build();
        engines.add(e);
        e.addListener(new Recorder());
        return e;
    }

    private final class Recorder implements PoolListener {
        @Override
        public void onConnect(java.sql.Connection physical) {
            events.add("connect");
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
        }
    }

    /**
     * Physical connections open now by the engine's events; on PostgreSQL checked against the server's view, which
     * may lag a moment: a server process ends after its client has closed the connection.
     */
    private int openNow() {
        int byEvents = count("connect") - count("close");
        if (database() == TestDatabase.POSTGRESQL) {
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int server;
            while ((server = serverCount()) != byEvents && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            assertThat(server).as("pg_stat_activity for " + appName).isEqualTo(byEvents);
        }
        return byEvents;
    }

    private int count(String event) {
        return (int) events.stream().filter(event::equals).count();
    }

    private int serverCount() {
        try (java.sql.Connection admin = Admin.connect(database());
             var ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, appName);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int selectOne(Engine e) {
        Integer one = e.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
        return one;
    }

    private static PhysicalConnection physical(Connection c) {
        try {
            return c.jdbc().unwrap(PhysicalConnection.class);
        } catch (SQLException e) {
            throw new AssertionError("c3p0 connection does not unwrap to the engine's", e);
        }
    }

    @Test
    void poolStartsEmptyAndOpensOneConnectionForTheFirstCheckout() {
        Engine e = start(builder().poolSize(5).maxOverflow(10));
        assertThat(openNow()).isZero();
        assertThat(e.status().toString())
                .isEqualTo("Pool size: 5  Connections in pool: 0 Current Overflow: -5 Current Checked out connections: 0");
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(openNow()).isEqualTo(1);
        assertThat(e.status().checkedIn()).isEqualTo(1);
        assertThat(e.backendName()).isEqualTo("c3p0");
    }

    @Test
    void checkoutBeyondTheLimitTimesOutWithQueuePoolMessageNeverEarly() {
        Engine e = start(builder().poolSize(1).maxOverflow(1).poolTimeout(Duration.ofMillis(300)));
        Connection a = e.connect();
        Connection b = e.connect();
        assertThat(e.status().toString())
                .isEqualTo("Pool size: 1  Connections in pool: 0 Current Overflow: 1 Current Checked out connections: 2");
        long start = System.nanoTime();
        assertThatThrownBy(e::connect)
                .isInstanceOf(PoolTimeoutException.class)
                .hasMessage("[" + appName + "] QueuePool limit of size 1 overflow 1 reached, connection timed out,"
                        + " timeout 0.30");
        long waited = System.nanoTime() - start;
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos())
                .isLessThan(TimeScale.millis(2300).toNanos());
        PhysicalConnection first = physical(a);
        a.close();
        try (Connection again = e.connect()) {
            assertThat(physical(again)).isSameAs(first);
        }
        b.close(); // poolSize 1 is already idle: the overflow connection closes
        assertThat(openNow()).isEqualTo(1);
    }

    @Test
    void zeroPoolTimeoutStillOpensConnectionsBelowTheLimit() {
        Engine e = start(builder().poolSize(1).maxOverflow(1).poolTimeout(Duration.ZERO));
        Connection a = e.connect();
        Connection b = e.connect();
        long start = System.nanoTime();
        assertThatThrownBy(e::connect).isInstanceOf(PoolTimeoutException.class).hasMessageEndingWith("timeout 0.00");
        assertThat(System.nanoTime() - start).isLessThan(TimeScale.millis(1000).toNanos());
        a.close();
        b.close();
    }

    @Test
    void overflowConnectionIsClosedOnCheckinAtOnce() {
        Engine e = start(builder().poolSize(1).maxOverflow(2));
        Connection a = e.connect();
        Connection b = e.connect();
        Connection c = e.connect();
        assertThat(openNow()).isEqualTo(3);
        a.close();
        assertThat(openNow()).isEqualTo(3);
        b.close();
        assertThat(openNow()).isEqualTo(2);
        c.close();
        assertThat(openNow()).isEqualTo(1);
        assertThat(e.status().checkedIn()).isEqualTo(1);
        assertThat(e.status().overflow()).isZero();
    }

    @Test
    void unlimitedOverflowOpensWhatIsAskedAndKeepsPoolSizeIdle() {
        Engine e = start(builder().poolSize(2).maxOverflow(-1).poolTimeout(Duration.ofMillis(100)));
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(e.connect());
        }
        assertThat(openNow()).isEqualTo(6);
        held.forEach(Connection::close);
        assertThat(openNow()).isEqualTo(2);
        assertThat(e.status().checkedIn()).isEqualTo(2);
    }

    @Test
    void poolSizeZeroMeansNoLimitOnAnything() {
        Engine e = start(builder().poolSize(0).poolTimeout(Duration.ofMillis(100)));
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(e.connect());
        }
        held.forEach(Connection::close);
        assertThat(openNow()).isEqualTo(5);
        assertThat(e.status().checkedIn()).isEqualTo(5);
    }

    @Test
    void connectionOlderThanPoolRecycleIsReplacedAtCheckout() throws InterruptedException, SQLException {
        Engine e = start(builder().poolSize(1).poolRecycle(Duration.ofMillis(200)));
        PhysicalConnection first;
        try (Connection c = e.connect()) {
            first = physical(c);
        }
        Thread.sleep(300); // the rule is about age: time has to pass
        try (Connection c = e.connect()) {
            assertThat(physical(c)).isNotSameAs(first);
        }
        assertThat(first.isClosed()).isTrue();
        assertThat(openNow()).isEqualTo(1);
    }

    @Test
    void prePingReplacesAConnectionKilledByTheServerWithoutTheBorrowerSeeingIt() throws SQLException {
        Engine e = start(builder().poolSize(2).poolPrePing(true));
        PhysicalConnection victim;
        Runnable kill;
        try (Connection c = e.connect()) {
            victim = physical(c);
            kill = Admin.killer(database(), c);
        }
        kill.run();
        assertThat(selectOne(e)).isEqualTo(1);
        assertThat(count("invalidate")).isEqualTo(1);
        assertThat(victim.isClosed()).isTrue();
        assertThat(openNow()).isEqualTo(1);
        assertThat(e.status().checkedOut()).isZero();
    }

    @Test
    void resetOnReturnRollbackCommitAndNoneAreVisibleFromAnotherConnection() throws SQLException {
        String table = TestDatabase.uniqueName("c3p0_reset");
        Engine ddl = start(builder());
        ddl.useTransaction(c -> c.execute("CREATE TABLE " + table + " (n INT)"));
        try {
            for (ResetOnReturn reset : ResetOnReturn.values()) {
                Engine e = start(builder().poolSize(1).maxOverflow(0).resetOnReturn(reset));
                try (Connection c = e.connect()) {
                    c.execute("INSERT INTO " + table + " (n) VALUES (?)", reset.ordinal());
                }
                long seenElsewhere = ddl.withConnection(c -> c.execute("SELECT count(*) FROM " + table
                        + " WHERE n = ?", reset.ordinal()).scalar(Long.class));
                assertThat(seenElsewhere).as(reset.name()).isEqualTo(reset == ResetOnReturn.COMMIT ? 1 : 0);
                if (reset == ResetOnReturn.NONE) {
                    try (Connection c = e.connect()) { // same physical connection, transaction still open
                        assertThat(c.execute("SELECT count(*) FROM " + table + " WHERE n = ?", reset.ordinal())
                                .scalar(Long.class)).isEqualTo(1);
                        c.rollback();
                    }
                }
                e.close();
            }
        } finally {
            ddl.useTransaction(c -> c.execute("DROP TABLE " + table));
        }
    }

    @Test
    void autoCommitAndIsolationChangedByABorrowerAreRestoredForTheNext() throws SQLException {
        Engine e = start(builder().poolSize(1).maxOverflow(0));
        int isolation;
        try (Connection c = e.connect()) {
            isolation = c.jdbc().getTransactionIsolation();
            c.jdbc().setAutoCommit(true);
            c.jdbc().setTransactionIsolation(isolation == java.sql.Connection.TRANSACTION_SERIALIZABLE
                    ? java.sql.Connection.TRANSACTION_READ_COMMITTED : java.sql.Connection.TRANSACTION_SERIALIZABLE);
        }
        try (Connection c = e.connect()) {
            assertThat(c.jdbc().getAutoCommit()).isFalse();
            assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(isolation);
        }
        assertThat(openNow()).isEqualTo(1);
    }

    @Test
    void defaultFifoReusesTheLongestIdleConnection() {
        assertThat(reusedAfterReturningInOrder(builder())).isEqualTo(0);
    }

    @Test
    void useLifoReusesTheMostRecentlyReturnedConnection() {
        assertThat(reusedAfterReturningInOrder(builder().useLifo(true))).isEqualTo(2);
    }

    /** Checks out three, returns them in order, and tells which of the three the next checkout got. */
    private int reusedAfterReturningInOrder(EngineBuilder b) {
        Engine e = start(b.poolSize(3).maxOverflow(0));
        List<Connection> held = List.of(e.connect(), e.connect(), e.connect());
        List<PhysicalConnection> order = held.stream().map(AbstractC3p0BackendTest::physical).toList();
        held.forEach(Connection::close);
        try (Connection c = e.connect()) {
            return order.indexOf(physical(c));
        }
    }

    @Test
    void listenerEventsComeInTheSameOrderAsOnEveryBackend() {
        Engine e = start(builder().poolSize(1).maxOverflow(0));
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        try (Connection c = e.connect()) {
            c.invalidate();
        }
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(events).containsExactly("connect", "checkout", "checkin", "checkout", "invalidate", "close",
                "connect", "checkout", "checkin");
        assertThat(openNow()).isEqualTo(1);
    }

    @Test
    void disposeClosesIdleConnectionsAndTheEngineKeepsWorking() throws InterruptedException {
        Engine e = start(builder().poolSize(3));
        Connection a = e.connect();
        Connection b = e.connect();
        Connection held = e.connect();
        a.close();
        b.close();
        e.dispose();
        assertThat(e.status().checkedIn()).isZero();
        assertThat(e.status().checkedOut()).isEqualTo(1);
        awaitOpen(1); // c3p0 closes the idle ones on a thread of its own, right away
        held.close();
        awaitOpen(0);
        assertThat(selectOne(e)).isEqualTo(1);
        assertThat(openNow()).isEqualTo(1);
        assertThat(e.status().checkedIn()).isEqualTo(1);
    }

    private void awaitOpen(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (count("connect") - count("close") != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(openNow()).isEqualTo(expected);
    }

    @Test
    void backendPropertiesReachTheNativePool() throws SQLException {
        Engine e = start(builder().backendProperty("maxStatements", "50").backendProperty("numHelperThreads", "2")
                .backendProperty("unreturnedConnectionTimeout", "3600"));
        assertThat(e.unwrap(WrapperConnectionPoolDataSource.class).getMaxStatements()).isEqualTo(50);
        assertThat(e.unwrap(WrapperConnectionPoolDataSource.class).getUnreturnedConnectionTimeout()).isEqualTo(3600);
        assertThat(e.unwrap(PooledDataSource.class).getNumHelperThreads()).isEqualTo(2);
        assertThat(selectOne(e)).isEqualTo(1);
    }
}
