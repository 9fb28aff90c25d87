package dev.athanor.pool.dbcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolStatus;
import dev.athanor.testing.TimeScale;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dbcp backend's failure and concurrency rules on the stub driver, which can fail, hang and count every physical
 * connection: failed and hanging connects, discards and idle validation without replacement, and a hammer.
 */
@Timeout(60)
class DbcpPoolStubTest {
    private StubDatabase db;
    private final List<Engine> engines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void freshDatabase() {
        db = StubDatabase.fresh();
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        db.releaseHangingConnects();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("test threads stopped").isTrue();
        engines.forEach(Engine::close);
        assertThat(db.openNow()).as("physical connections left open").isZero();
    }

    private EngineBuilder builder() {
        return Engine.builder(db.url()).pool("dbcp").poolName("stub").poolTimeout(Duration.ofSeconds(10));
    }

    private Engine build(EngineBuilder b) {
        Engine engine = b.build();
        engines.add(engine);
        return engine;
    }

    private static GenericObjectPool<?> nativePool(Engine engine) {
        return engine.unwrap(GenericObjectPool.class);
    }

    private static List<Integer> counts(PoolStatus s) {
        return List.of(s.size(), s.checkedIn(), s.checkedOut(), s.overflow());
    }

    @Test
    void dbcpIsTheDefaultPoolWhenNoHigherPriorityBackendIsPresent() {
        Engine engine = build(Engine.builder(db.url()));
        assertThat(engine.backendName()).isEqualTo("dbcp");
        assertThat(db.connectAttempts()).isZero();
    }

    @Test
    void aFailedConnectLeavesEveryCountAsItWas() {
        Engine engine = build(builder().poolSize(2).maxOverflow(2));
        Connection held = engine.connect();
        PoolStatus before = engine.status();

        db.failNextConnects(1);
        assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class)
                .hasMessageContaining("could not connect");
        assertThat(counts(engine.status())).isEqualTo(counts(before));
        assertThat(nativePool(engine).getNumActive()).isEqualTo(1);
        assertThat(db.openNow()).isEqualTo(1);

        try (Connection again = engine.connect()) {
            assertThat(engine.status().checkedOut()).isEqualTo(2);
        }
        held.close();
        assertThat(counts(engine.status())).containsExactly(2, 2, 0, 0);
    }

    @Test
    void aHangingConnectDoesNotBlockACheckoutOfAnIdleConnection() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2));
        Connection first = engine.connect();
        try (StubDatabase.Hang hang = db.hangConnects()) {
            Future<Connection> stuck = threads.submit(engine::connect);
            assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).as("a connect is hanging").isTrue();
            first.close();

            long start = System.nanoTime();
            Connection idle = engine.connect();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TimeScale.millis(2000));
            assertThat(stuck.isDone()).isFalse();
            idle.close();

            hang.close();
            stuck.get(5, TimeUnit.SECONDS).close();
        }
        assertThat(counts(engine.status())).containsExactly(2, 2, 0, 0);
        assertThat(db.openNow()).isEqualTo(2);
    }

    @Test
    void invalidatingOpensNoReplacement() {
        Engine engine = build(builder().poolSize(2));
        Connection c = engine.connect();
        c.invalidate();
        assertThat(db.opened()).isEqualTo(1);
        assertThat(db.openNow()).isZero();
        assertThat(engine.status().open()).isZero();
        assertThat(nativePool(engine).getNumActive()).isZero();
    }

    @Test
    void twentyThreadsHammeringATwoPlusTwoPoolNeverOpenMoreThanFour() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2));
        List<PoolStatus> samples = new CopyOnWriteArrayList<>();
        AtomicInteger iteration = new AtomicInteger();
        Hammer.run(20, 200, () -> {
            try (Connection c = engine.connect()) {
                c.execute("SELECT 1").scalar();
                if (iteration.incrementAndGet() % 7 == 0) {
                    c.invalidate();
                }
                samples.add(engine.status());
            }
        });
        assertThat(db.maxOpenSeen()).isLessThanOrEqualTo(4);
        assertThat(samples).hasSize(4000).allSatisfy(s -> {
            assertThat(s.checkedIn()).isBetween(0, 4);
            assertThat(s.checkedOut()).isBetween(0, 4);
            assertThat(s.open()).isLessThanOrEqualTo(4);
        });
        PoolStatus after = engine.status();
        assertThat(after.checkedOut()).isZero();
        assertThat(after.checkedIn()).isEqualTo(db.openNow()).isBetween(1, 2);
        assertThat(nativePool(engine).getNumActive()).isZero();
    }

    @Test
    void closeClosesIdleAndBorrowedConnectionsAtOnce() {
        Engine engine = build(builder().poolSize(2));
        Connection held = engine.connect();
        engine.connect().close();
        assertThat(db.openNow()).isEqualTo(2);
        engine.close();
        assertThat(db.openNow()).as("borrowed connections are closed by close(), not when returned").isZero();
        held.close();
        assertThat(db.openNow()).isZero();
        assertThat(db.closed()).as("each closed once").isEqualTo(2);
    }

    @Test
    void initSqlIsCommittedSoTheFirstResetDoesNotUndoIt() {
        Engine engine = build(builder().backendProperty("connectionInitSqls", "SET a = 1; SET b = 2"));
        db.recordSql(true);
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(db.executedSql()).startsWith("SET a = 1", "SET b = 2");
        assertThat(db.commits()).isEqualTo(1);
        assertThat(db.rollbacks()).isEqualTo(1);
    }

    @Test
    void idleValidationByTheEvictorLeavesNoTransactionOpen() throws Exception {
        Engine engine = build(builder()
                .backendProperty("timeBetweenEvictionRunsMillis", "3600000")
                .backendProperty("testWhileIdle", "true")
                .backendProperty("validationQuery", "SELECT 1"));
        engine.connect().close();
        StubConnection idle = db.openConnections().get(0);
        long rollbacks = db.rollbacks();

        nativePool(engine).evict();
        assertThat(db.statementsExecuted()).isEqualTo(1);
        assertThat(db.rollbacks()).isEqualTo(rollbacks + 1);
        assertThat(idle.inTransaction()).isFalse();
        assertThat(engine.status().checkedIn()).isEqualTo(1);
    }

    @Test
    void anIdleConnectionFailingIdleValidationIsClosedWithoutAReplacement() throws Exception {
        Engine engine = build(builder()
                .backendProperty("timeBetweenEvictionRunsMillis", "3600000")
                .backendProperty("testWhileIdle", "true"));
        engine.connect().close();
        db.openConnections().get(0).kill();

        nativePool(engine).evict();
        assertThat(db.validations()).isEqualTo(1);
        assertThat(db.openNow()).isZero();
        assertThat(db.connectAttempts()).as("no replacement").isEqualTo(1);
        assertThat(counts(engine.status())).containsExactly(5, 0, 0, -5);
        try (Connection c = engine.connect()) {
            assertThat(db.opened()).isEqualTo(2);
        }
    }

    @Test
    void aDiscardedConnectionLeavesNothingInTheNativePool() {
        Engine engine = build(builder().poolSize(1).maxOverflow(1));
        Connection a = engine.connect();
        Connection b = engine.connect();
        a.close();
        b.close(); // the idle cap is reached: the engine discards it
        GenericObjectPool<?> pool = nativePool(engine);
        assertThat(List.of(pool.getNumIdle(), pool.getNumActive())).containsExactly(1, 0);
        assertThat(pool.getDestroyedCount()).isEqualTo(1);
        assertThat(db.openNow()).isEqualTo(1);
        assertThat(db.connectAttempts()).isEqualTo(2);
    }

    @Test
    void borrowersOpenConnectionsInParallel() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(0));
        try (StubDatabase.Hang hang = db.hangConnects()) {
            Future<Connection> a = threads.submit(engine::connect);
            Future<Connection> b = threads.submit(engine::connect);
            assertThat(hang.awaitBlocked(2, Duration.ofSeconds(5))).as("both connects run at once").isTrue();
            hang.close();
            a.get(5, TimeUnit.SECONDS).close();
            b.get(5, TimeUnit.SECONDS).close();
        }
        assertThat(counts(engine.status())).containsExactly(2, 2, 0, 0);
    }
}
