package dev.athanor.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.ResetOnReturn;
import dev.athanor.pool.hikari.AbstractHikariPoolTest.Events;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.TimeScale;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code hikari} backend over the stub driver: failure injection, exact counters and concurrency. */
class HikariPoolStubTest {
    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        db.releaseHangingConnects();
        threads.shutdownNow();
        engines.forEach(Engine::close);
    }

    private EngineBuilder builder() {
        return Engine.builder(db.url()).pool("hikari").poolName(TestDatabase.uniqueName("hikari_stub"));
    }

    private Engine build(EngineBuilder builder) {
        Engine engine = builder.build();
        engines.add(engine);
        return engine;
    }

    private static StubConnection stub(Connection c) throws SQLException {
        return c.jdbc().unwrap(StubConnection.class);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5); // the condition is met on HikariCP's connection-adder thread
        }
        assertThat(condition.getAsBoolean()).as("condition met within 5 s").isTrue();
    }

    private static void assertSameCounts(PoolStatus actual, PoolStatus expected) {
        assertThat(actual.checkedIn()).isEqualTo(expected.checkedIn());
        assertThat(actual.checkedOut()).isEqualTo(expected.checkedOut());
        assertThat(actual.overflow()).isEqualTo(expected.overflow());
    }

    @Test
    void aFailedConnectReachesTheWaitingCheckoutAtOnceAndLeavesCountsUnchanged() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(2).poolTimeout(Duration.ofSeconds(20)));
        Connection a = engine.connect();
        Connection b = engine.connect();
        PoolStatus before = engine.status();

        db.failNextConnects(1);
        long start = System.nanoTime();
        assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class)
                .hasMessageContaining("could not connect")
                .hasRootCauseMessage("stub: connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TimeScale.millis(2000));
        assertSameCounts(engine.status(), before);
        assertThat(db.openNow()).isEqualTo(2);
        assertThat(db.connectAttempts()).as("no retry behind the checkout's back").isEqualTo(3);
        assertThat(engine.unwrap(HikariPoolMXBean.class).getTotalConnections()).isEqualTo(2);

        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
            assertThat(db.openNow()).isEqualTo(3);
        }
        a.close();
        b.close();
    }

    @Test
    void aDatabaseThatIsDownFailsEveryCheckoutPromptly() {
        Engine engine = build(builder().poolTimeout(Duration.ofSeconds(20)));
        db.down(true);
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TimeScale.millis(2000));
        }
        assertThat(db.connectAttempts()).isEqualTo(5);
        assertThat(engine.status().open()).isZero();
        db.down(false);
        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
    }

    @Test
    @Timeout(30)
    void aHangingConnectDoesNotBlockCheckoutsOfReturnedOrIdleConnections() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(1).poolTimeout(Duration.ofSeconds(20)));
        Connection a = engine.connect();
        Connection b = engine.connect();
        int idA = stub(a).id();
        int idB = stub(b).id();
        Connection got;
        try (StubDatabase.Hang hang = db.hangConnects()) {
            Future<Connection> waiting = threads.submit(engine::connect); // needs a new connection: hangs
            assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).isTrue();

            b.close();
            got = waiting.get(2, TimeUnit.SECONDS);
            assertThat(stub(got).id()).as("the returned connection went to the waiting checkout").isEqualTo(idB);

            a.close();
            long start = System.nanoTime();
            try (Connection c = engine.connect()) {
                assertThat(stub(c).id()).isEqualTo(idA);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TimeScale.millis(1000));
            assertThat(hang.blockedNow()).as("the connect still hangs").isEqualTo(1);
        }
        await(() -> db.opened() == 3);
        got.close();
        assertThat(db.openNow()).as("one of three closed: poolSize 2 idle at most").isEqualTo(2);
        assertThat(engine.status().checkedIn()).isEqualTo(2);
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    @Timeout(30)
    void aCheckoutBelowTheLimitWaitsForItsOwnSlowConnectWhileOthersTimeOutOnTime() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(1).poolTimeout(Duration.ofMillis(200)));
        Connection held = engine.connect();
        db.connectDelay(TimeScale.millis(2000));
        Future<Connection> first = threads.submit(engine::connect);
        await(() -> db.connectAttempts() == 2); // the second checkout comes after the first took the last slot
        assertThatThrownBy(engine::connect).isInstanceOf(PoolTimeoutException.class);
        assertThat(first.isDone()).as("the other checkout timed out while the slow connect was under way").isFalse();
        try (Connection c = first.get(10, TimeUnit.SECONDS)) {
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
        held.close();
        assertThat(db.opened()).isEqualTo(2);
        assertThat(db.openNow()).as("poolSize 1: one kept").isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void aConnectThatCompletesAfterItsRequesterWasServedIsClosedWhenPoolSizeAreIdle() throws Exception {
        Engine engine = build(builder().poolSize(1).maxOverflow(2).poolTimeout(Duration.ofSeconds(20)));
        Events events = Events.on(engine);
        Connection a = engine.connect();
        Connection b = engine.connect();
        db.connectDelay(Duration.ofMillis(300));
        Future<Connection> waiting = threads.submit(engine::connect);
        await(() -> db.connectAttempts() == 3);
        b.close(); // goes to the waiting checkout
        waiting.get(2, TimeUnit.SECONDS).close(); // and back: one idle now
        a.close(); // over poolSize idle: closed
        await(() -> db.opened() == 3 && db.closed() == 2);
        assertThat(engine.status().checkedIn()).isEqualTo(1);
        assertThat(db.openNow()).isEqualTo(1);
        assertThat(events.count("close")).isEqualTo(2);
    }

    @Test
    @Timeout(60)
    void twentyThreadsHammeringATwoPlusTwoPoolNeverOpenMoreThanFourAndCountsStayTrue() throws Exception {
        Engine engine = build(builder().poolSize(2).maxOverflow(2).poolTimeout(Duration.ofSeconds(30))
                .poolPrePing(true));
        Events events = Events.on(engine);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger bad = new AtomicInteger();
        Future<?> sampler = threads.submit(() -> {
            while (running.get()) {
                PoolStatus s = engine.status();
                if (s.checkedIn() < 0 || s.checkedOut() < 0 || s.open() > 4 || s.checkedIn() > 2) {
                    bad.incrementAndGet();
                }
                Thread.yield();
            }
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            int thread = t;
            workers.add(threads.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    Connection c = engine.connect();
                    c.execute("SELECT 1").scalar();
                    if ((thread + i) % 50 == 0) {
                        c.invalidate();
                    } else {
                        c.close();
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(50, TimeUnit.SECONDS);
        }
        running.set(false);
        sampler.get(5, TimeUnit.SECONDS);

        assertThat(db.maxOpenSeen()).isBetween(1, 4);
        assertThat(bad).hasValue(0);
        PoolStatus status = engine.status();
        assertThat(status.checkedOut()).isZero();
        // Idle never exceeds poolSize; it may be 0 when the last borrows happened to be invalidations.
        assertThat(status.checkedIn()).isBetween(0, 2);
        assertThat(db.openNow()).isEqualTo(status.open());
        assertThat(events.count("connect") - events.count("close")).isEqualTo(db.openNow());
    }

    @Test
    @Tag("virtual-threads")
    @Timeout(60)
    void virtualThreadsShareATwoPlusTwoPoolWithoutDeadlockOrDrift() throws Exception {
        ExecutorService virtual;
        try {
            virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            Assumptions.abort("virtual threads need Java 21+");
            return;
        }
        Engine engine = build(builder().poolSize(2).maxOverflow(2).poolTimeout(Duration.ofSeconds(30)));
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                tasks.add(virtual.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (Connection c = engine.connect()) {
                            c.execute("SELECT 1").scalar();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(50, TimeUnit.SECONDS);
            }
        } finally {
            virtual.shutdownNow();
        }
        assertThat(db.maxOpenSeen()).isBetween(1, 4);
        assertThat(engine.status().checkedOut()).isZero();
        assertThat(db.openNow()).isEqualTo(engine.status().open());
    }

    @Test
    void withoutPrePingNothingIsValidatedEvenPastHikarisAliveCheckWindow() throws Exception {
        Engine engine = build(builder().poolSize(1));
        engine.connect().close();
        Thread.sleep(600); // HikariCP tests a connection idle for more than 500 ms before lending it
        engine.connect().close();
        assertThat(db.validations()).isZero();
    }

    @Test
    void withPrePingEachReusedConnectionIsPingedOnceAndAFreshOneNot() throws Exception {
        Engine engine = build(builder().poolSize(1).poolPrePing(true));
        engine.connect().close();
        assertThat(db.validations()).isZero();
        Thread.sleep(600);
        engine.connect().close();
        assertThat(db.validations()).isEqualTo(1);
    }

    @Test
    void resetOnReturnNoneDoesNoRollbackAndRollbackDoesExactlyOne() throws Exception {
        Engine none = build(builder().poolSize(1).resetOnReturn(ResetOnReturn.NONE));
        StubConnection physical;
        try (Connection c = none.connect()) {
            c.execute("UPDATE t SET n = 1");
            physical = stub(c);
        }
        assertThat(db.rollbacks()).isZero();
        assertThat(physical.inTransaction()).as("left open, as SQLAlchemy's reset_on_return=None").isTrue();

        Engine rollback = build(builder().poolSize(1));
        try (Connection c = rollback.connect()) {
            c.execute("UPDATE t SET n = 1");
        }
        assertThat(db.rollbacks()).isEqualTo(1);

        Engine commit = build(builder().poolSize(1).resetOnReturn(ResetOnReturn.COMMIT));
        try (Connection c = commit.connect()) {
            c.execute("UPDATE t SET n = 1");
        }
        assertThat(db.commits()).isEqualTo(1);
        assertThat(db.rollbacks()).isEqualTo(1);
    }

    @Test
    void reuseOrderIsThreadAffineSoNeitherFifoNorLifoCanBePromised() throws Exception {
        Engine engine = build(builder().poolSize(2));
        Connection a = engine.connect();
        Connection b = engine.connect();
        int idA = stub(a).id();
        b.close();
        a.close();
        try (Connection c = engine.connect()) {
            assertThat(stub(c).id()).as("same thread: the last returned (FIFO would give the first)").isEqualTo(idA);
        }

        a = engine.connect();
        b = engine.connect();
        int idB = stub(b).id();
        int idFirst = stub(a).id();
        a.close();
        b.close();
        Connection other = threads.submit(engine::connect).get(5, TimeUnit.SECONDS);
        int otherId = stub(other).id();
        assertThat(otherId).as("another thread: the oldest idle (LIFO would give the last returned)")
                .isNotEqualTo(idB).isEqualTo(Math.min(idFirst, idB));
        other.close();
    }

    @Test
    void closingTheEngineClosesIdleAndBorrowedConnections() {
        Engine engine = build(builder().poolSize(2));
        Events events = Events.on(engine);
        Connection borrowed = engine.connect();
        engine.connect().close();
        engine.close();
        assertThat(db.openNow()).isZero();
        assertThat(events.count("close")).isEqualTo(2);
        borrowed.close();
        assertThat(engine.status().checkedOut()).isZero();
    }
}
