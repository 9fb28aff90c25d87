package dev.athanor.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.testing.stub.StubDatabase;

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
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Races between checkouts, failed connects and invalidations in the c3p0 backend, on the stub JDBC driver. Each test
 * repeats its scenario often enough that, without the adapter's handling of the race it names, it fails in nearly
 * every run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class C3p0StubRaceTest {
    private static final int THREADS = 8;
    private static final int CHECKOUTS_PER_THREAD = 100;

    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();
    private final Logger c3p0Log = (Logger) LoggerFactory.getLogger("com.mchange.v2.resourcepool.BasicResourcePool");
    private Level c3p0Level;

    @BeforeEach
    void quietC3p0() {
        // c3p0 logs two warnings, one with a stack trace, for every failed connect.
        c3p0Level = c3p0Log.getLevel();
        c3p0Log.setLevel(Level.ERROR);
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
        c3p0Log.setLevel(c3p0Level);
    }

    private Engine engine(int poolSize, int maxOverflow) {
        return engine(db, poolSize, maxOverflow);
    }

    private Engine engine(StubDatabase on, int poolSize, int maxOverflow) {
        Engine e = Engine.builder(on.url()).pool("c3p0").poolName("stub-" + on.name() + "-" + engines.size())
                .poolSize(poolSize).maxOverflow(maxOverflow).poolTimeout(Duration.ofSeconds(5)).build();
        engines.add(e);
        return e;
    }

    /**
     * c3p0 fails the checkouts waiting on a failed connect by raising a flag that its helper thread lowers only once
     * it gets the pool's lock back; a checkout starting in between used to fail at once with c3p0's "the factory or
     * source appears to be down". Threads reading the status contend for that lock, as a loaded machine would.
     */
    @Test
    void checkoutStartedAfterAFailedConnectIsNeverFailedByIt() throws Exception {
        Engine e = engine(2, 2);
        int rounds = 100;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < 2; r++) {
                readers.submit(() -> {
                    while (!stop.get()) {
                        e.status();
                    }
                });
            }
            for (int i = 0; i < rounds; i++) {
                db.failNextConnects(1);
                assertThatThrownBy(e::connect).as("round %d, failing connect", i)
                        .isInstanceOf(DisconnectionException.class).hasMessageContaining("stub: connection refused");
                assertThatCode(() -> {
                    try (Connection c = e.connect()) {
                        c.invalidate(); // so that the next round needs a new connection again
                    }
                }).as("round %d, connect after the failed one", i).doesNotThrowAnyException();
            }
        } finally {
            stop.set(true);
            readers.shutdown();
        }
        assertThat(readers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(db.connectAttempts()).as("one attempt per checkout, no retry").isEqualTo(2 * rounds);
        assertThat(db.opened()).as("nothing opened besides the successful checkouts").isEqualTo(rounds);
        assertThat(db.openNow()).isZero();
        assertThat(e.status().checkedOut()).isZero();
    }

    /**
     * c3p0 opens one connection per checkout waiting in it, but a checkout arriving meanwhile may take that
     * connection first; the waiting one then relies on the pool's target to get another. Invalidating a connection
     * used to lower the target to the connections that exist, and the waiting checkout waited forever.
     */
    @Test
    void checkoutsWaitingInC3p0AreServedWhileOthersInvalidateTheirConnections() throws Exception {
        for (int round = 0; round < 5; round++) {
            StubDatabase fresh = StubDatabase.fresh();
            Engine e = engine(fresh, 2, 2);
            assertThat(hammer(e, false, ex -> { })).isZero();
            assertThat(e.status().checkedOut()).isZero();
            assertThat(fresh.maxOpenSeen()).isLessThanOrEqualTo(4);
            assertThat(fresh.openNow()).as("open after round %d, poolSize 2: %s", round, e.status())
                    .isLessThanOrEqualTo(2);
        }
    }

    /**
     * Checkouts that each keep their connection until all have one, on a fresh pool with room for all: one arriving
     * while c3p0 opens a connection for a waiting one may take that connection, and the waiting one used to wait for
     * a checkin that never came.
     */
    @Test
    void simultaneousFirstCheckoutsKeepingTheirConnectionsAllGetOne() throws Exception {
        int threads = 4;
        for (int round = 0; round < 30; round++) {
            int r = round;
            Engine e = engine(5, 10);
            CountDownLatch allHaveOne = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        try (Connection c = e.connect()) {
                            allHaveOne.countDown();
                            return allHaveOne.await(20, TimeUnit.SECONDS);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    assertThat(f).as(() -> "round " + r + ": " + e.status())
                            .succeedsWithin(Duration.ofSeconds(20)).isEqualTo(true);
                }
            } finally {
                pool.shutdownNow();
                e.close();
            }
        }
        assertThat(db.opened()).as("one connection per checkout and round").isEqualTo(30 * threads);
    }

    /**
     * c3p0 gives a returned connection to a checkout waiting for a new one, and the new one lands idle later: the
     * idle cap applied at checkin has to count it, or the pool ends up holding more than poolSize idle connections.
     */
    @Test
    void connectionOpenedForACheckoutThatAReturnedConnectionServedCountsAgainstTheIdleCap() throws Exception {
        Engine e = engine(2, 2);
        CountDownLatch thirdOpened = new CountDownLatch(3);
        e.addListener(new PoolListener() {
            @Override
            public void onConnect(java.sql.Connection physical) {
                thirdOpened.countDown();
            }
        });
        Connection first = e.connect();
        Connection second = e.connect();
        StubDatabase.Hang hang = db.hangConnects();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Connection> waiting = pool.submit(e::connect);
            assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).isTrue(); // c3p0 opens a third connection
            first.close(); // ... but hands the returned one to the waiting checkout
            Connection served = waiting.get(5, TimeUnit.SECONDS);
            second.close(); // idle: 1, and one on its way
            served.close(); // over the cap of 2 once the third one lands: closed
            hang.close();
            assertThat(thirdOpened.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.opened()).isEqualTo(3);
        assertThat(db.openNow()).as("open with poolSize 2, none borrowed: %s", e.status()).isEqualTo(2);
    }

    /**
     * Several failed connects, each failing the checkouts waiting at that moment, while new checkouts keep coming:
     * every failure a checkout sees is the driver's, never c3p0's refusal of a checkout that arrived while c3p0 was
     * still failing the waiting ones.
     */
    @Test
    void concurrentCheckoutsThroughRepeatedFailedConnectsSeeOnlyTheDriversError() throws Exception {
        Engine e = engine(2, 2);
        List<String> others = new CopyOnWriteArrayList<>();
        assertThat(hammer(e, true, ex -> {
            if (!"08001".equals(ex.sqlState()) || !ex.getMessage().contains("stub: connection refused")) {
                others.add(ex.getMessage());
            }
        })).as("checkouts failed").isPositive();
        assertThat(others).isEmpty();
        assertThat(db.maxOpenSeen()).isLessThanOrEqualTo(4);
        assertThat(e.status().checkedOut()).isZero();
        db.failNextConnects(0);
        try (Connection c = e.connect()) {
            assertThat(c.execute("SELECT 1").scalar()).isEqualTo(1);
        }
    }

    /**
     * {@value #THREADS} threads making {@value #CHECKOUTS_PER_THREAD} checkouts each, invalidating every third
     * connection so that new connects keep happening; with {@code failSome} every tenth checkout of a thread makes
     * the next connect fail, and each failed checkout is passed to {@code onFailure}. Returns the checkouts that
     * failed (none allowed without {@code failSome}).
     */
    private int hammer(Engine e, boolean failSome, Consumer<DisconnectionException> onFailure) {
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < CHECKOUTS_PER_THREAD; i++) {
                        if (failSome && i % 10 == 0) {
                            db.failNextConnects(1);
                        }
                        try (Connection c = e.connect()) {
                            c.execute("SELECT 1").scalar();
                            if (i % 3 == 0) {
                                c.invalidate();
                            }
                        } catch (DisconnectionException ex) {
                            if (!failSome) {
                                throw ex;
                            }
                            failed.incrementAndGet();
                            onFailure.accept(ex);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                assertThat(f).as("a thread's checkouts").succeedsWithin(Duration.ofSeconds(20));
            }
        } finally {
            pool.shutdownNow();
        }
        return failed.get();
    }
}
