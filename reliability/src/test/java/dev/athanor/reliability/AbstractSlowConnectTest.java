package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.AthanorException;
import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 5, slow and failing connects, through a {@link TcpProxy} that delays, refuses or hangs new connections:
 * {@code connectTimeout} is honoured, a failed connect leaves the pool's counts (and the server's) as they were, and
 * a hanging connect does not keep a returned connection from the next borrower.
 */
abstract class AbstractSlowConnectTest {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** What "honoured" allows beyond the timeout: driver rounding (PostgreSQL counts whole seconds) and scheduling. */
    static final Duration SLACK = Duration.ofMillis(1_500);
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(10);

    abstract TestDatabase database();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void aSlowConnectWithinTheTimeoutSucceedsAndAHangingOneFailsAfterConnectTimeout(String backend) {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = target.engine(backend).poolSize(2).maxOverflow(0).poolTimeout(POOL_TIMEOUT)
                    .connectTimeout(CONNECT_TIMEOUT).build()) {
                proxy.delay(Duration.ofMillis(300));
                long t0 = System.nanoTime();
                engine.useConnection(c -> c.execute("SELECT 1").scalar());
                long slowMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(slowMillis).as("a connect delayed 300 ms").isGreaterThanOrEqualTo(300);

                proxy.mode(TcpProxy.Mode.HANG);
                PoolStatus before = engine.status();
                try (Connection held = engine.connect()) { // the idle one: no connect needed
                    long t1 = System.nanoTime();
                    assertThatThrownBy(engine::connect).isInstanceOf(AthanorException.class);
                    long hangMillis = (System.nanoTime() - t1) / 1_000_000;
                    assertThat(Duration.ofMillis(hangMillis)).as("failure of a hanging connect")
                            .isLessThanOrEqualTo(CONNECT_TIMEOUT.plus(SLACK));
                    Figures.of("connectTimeout", backend, database()).put("delayedConnectMs", slowMillis)
                            .put("hangingConnectFailedAfterMs", hangMillis)
                            .put("connectTimeoutMs", CONNECT_TIMEOUT.toMillis()).record();
                    held.execute("SELECT 1").scalar();
                }
                proxy.mode(TcpProxy.Mode.PASS);
                assertThat(engine.status().checkedOut()).isEqualTo(before.checkedOut());
                engine.useConnection(c -> c.execute("SELECT 1").scalar());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void refusedConnectsLeaveTheCountsAsTheyWere(String backend) {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = target.engine(backend).poolSize(2).maxOverflow(1)
                    .poolTimeout(Duration.ofSeconds(2)).connectTimeout(CONNECT_TIMEOUT).build()) {
                engine.useConnection(c -> c.execute("SELECT 1").scalar()); // one idle connection
                proxy.mode(TcpProxy.Mode.REFUSE);
                try (Connection held = engine.connect()) { // the idle one; every further checkout must connect
                    PoolStatus before = engine.status();
                    int serverBefore = target.serverConnections();
                    int failures = 0;
                    for (int i = 0; i < 5; i++) {
                        assertThatThrownBy(engine::connect).isInstanceOf(AthanorException.class);
                        failures++;
                        assertThat(engine.status()).as("counts after failed connect " + (i + 1))
                                .usingRecursiveComparison().isEqualTo(before);
                    }
                    assertThat(target.serverConnections()).isEqualTo(serverBefore);
                    held.execute("SELECT 1").scalar();
                    Figures.of("refusedConnects", backend, database()).put("failures", failures)
                            .put("refusedByProxy", proxy.refused()).put("statusAfter", engine.status().toString()
                                    .replace(' ', '_')).record();
                }
                proxy.mode(TcpProxy.Mode.PASS);
                List<Connection> all = List.of(engine.connect(), engine.connect(), engine.connect());
                assertThat(engine.status().checkedOut()).as("all three slots usable again").isEqualTo(3);
                all.forEach(Connection::close);
                assertThat(engine.status().checkedOut()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void aHangingConnectDoesNotKeepAReturnedConnectionFromTheNextBorrower(String backend) throws Exception {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = target.engine(backend).poolSize(2).maxOverflow(2).poolTimeout(POOL_TIMEOUT)
                    .connectTimeout(Duration.ofSeconds(20)).build()) {
                engine.useConnection(c -> c.execute("SELECT 1").scalar()); // one idle connection
                ExecutorService threads = Executors.newFixedThreadPool(2);
                try {
                    Connection held = engine.connect(); // the idle one
                    proxy.mode(TcpProxy.Mode.HANG);
                    CountDownLatch served = new CountDownLatch(1);
                    Future<Long> first = threads.submit(() -> borrowAndReturn(engine, served));
                    assertThat(proxy.awaitHanging(1, Duration.ofSeconds(10))).as("a connect hangs").isTrue();
                    Future<Long> second = threads.submit(() -> borrowAndReturn(engine, served));

                    long returnedAt = System.nanoTime();
                    held.close();
                    if (!served.await(1, TimeUnit.SECONDS)) {
                        // The limit let both waiting borrowers start connects of their own (as SQLAlchemy's
                        // QueuePool does), so both hang; the returned connection is then idle and the next checkout
                        // must get it at once.
                        try (Connection next = engine.connect()) {
                            next.execute("SELECT 1").scalar();
                        }
                    }
                    long servedMillis = (System.nanoTime() - returnedAt) / 1_000_000;
                    assertThat(proxy.hanging()).as("the connect still hangs when the returned connection is served")
                            .isGreaterThanOrEqualTo(1);
                    assertThat(servedMillis).as("ms until a borrower got the returned connection")
                            .isLessThan(2_000);

                    proxy.mode(TcpProxy.Mode.PASS); // the hanging connect completes
                    assertThat(first.get(30, TimeUnit.SECONDS)).isNotNull();
                    assertThat(second.get(30, TimeUnit.SECONDS)).isNotNull();
                    Figures.of("hangingConnect", backend, database()).put("servedWhileHangingMs", servedMillis)
                            .record();
                } finally {
                    proxy.mode(TcpProxy.Mode.PASS);
                    threads.shutdown();
                    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                }
                assertThat(engine.status().checkedOut()).isZero();
            }
        }
    }

    private static long borrowAndReturn(Engine engine, CountDownLatch served) {
        long t0 = System.nanoTime();
        try (Connection c = engine.connect()) {
            served.countDown();
            c.execute("SELECT 1").scalar();
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
