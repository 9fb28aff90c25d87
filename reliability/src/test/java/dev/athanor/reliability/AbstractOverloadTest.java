package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolTimeoutException;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 3, overload: four times more threads than {@code poolSize + maxOverflow}, {@code poolTimeout} 1 s. Every
 * failure is a {@link PoolTimeoutException} raised no earlier than the timeout, the server never sees more than
 * {@code poolSize + maxOverflow} connections, and after the load its count returns to at most {@code poolSize}.
 */
abstract class AbstractOverloadTest {
    static final int POOL_SIZE = 2;
    static final int MAX_OVERFLOW = 2;
    static final int LIMIT = POOL_SIZE + MAX_OVERFLOW;
    static final int THREADS = 4 * LIMIT;
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(1);
    /** How long each unit of work holds its connection: the queue moves LIMIT units per HOLD. */
    static final Duration HOLD = Duration.ofMillis(400);
    static final Duration LOAD = Duration.ofMillis(3_000);

    abstract TestDatabase database();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void everyFailureIsAPoolTimeoutNoEarlierThanTheTimeoutAndConnectionsShrinkBack(String backend) throws Exception {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(MAX_OVERFLOW)
                     .poolTimeout(POOL_TIMEOUT).build()) {
            AtomicInteger successes = new AtomicInteger();
            AtomicLong earliestFailureNanos = new AtomicLong(Long.MAX_VALUE);
            AtomicLong latestFailureNanos = new AtomicLong();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            long loadEnd = System.nanoTime() + LOAD.toNanos();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            ServerPeak peakServer = ServerPeak.start(target);
            int peak;
            try {
                for (int i = 0; i < THREADS; i++) {
                    pool.execute(() -> {
                        await(start);
                        while (System.nanoTime() - loadEnd < 0) {
                            long t0 = System.nanoTime();
                            try (Connection c = engine.connect()) {
                                c.execute("SELECT 1").scalar();
                                Thread.sleep(HOLD.toMillis()); // the unit's work, holding the connection
                                successes.incrementAndGet();
                            } catch (PoolTimeoutException e) {
                                long waited = System.nanoTime() - t0;
                                earliestFailureNanos.accumulateAndGet(waited, Math::min);
                                latestFailureNanos.accumulateAndGet(waited, Math::max);
                                failures.add(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            } catch (Throwable e) {
                                failures.add(e);
                            }
                        }
                    });
                }
                start.countDown();
            } finally {
                pool.shutdown();
                boolean stopped = pool.awaitTermination(30, TimeUnit.SECONDS);
                peak = peakServer.stop();
                assertThat(stopped).as("load threads stop").isTrue();
            }

            assertThat(failures).as("failures under overload").isNotEmpty()
                    .allSatisfy(f -> assertThat(f).isInstanceOf(PoolTimeoutException.class)
                            .hasMessageContaining("QueuePool limit of size " + POOL_SIZE + " overflow "
                                    + MAX_OVERFLOW + " reached, connection timed out, timeout 1.00"));
            assertThat(successes.get()).as("units that got a connection").isGreaterThan(0);
            assertThat(Duration.ofNanos(earliestFailureNanos.get())).as("earliest timeout")
                    .isGreaterThanOrEqualTo(POOL_TIMEOUT);
            assertThat(peak).as("server connections at the peak, sampled back to back for the whole load (%d"
                    + " listings)", peakServer.samples()).isLessThanOrEqualTo(LIMIT);
            assertThat(engine.status().checkedOut()).as("checked out after the load").isZero();

            long start2 = System.nanoTime();
            int atEnd = Await.atMost(Duration.ofSeconds(15), POOL_SIZE, target::serverConnections);
            long shrinkMillis = (System.nanoTime() - start2) / 1_000_000;
            assertThat(atEnd).as("server connections after the load").isLessThanOrEqualTo(POOL_SIZE);
            assertThat(engine.status().checkedIn()).as("idle connections after the load")
                    .isLessThanOrEqualTo(POOL_SIZE);

            Figures.of("overload", backend, database()).put("threads", THREADS).put("successes", successes.get())
                    .put("timeouts", failures.size())
                    .put("earliestTimeoutMs", earliestFailureNanos.get() / 1_000_000)
                    .put("latestTimeoutMs", latestFailureNanos.get() / 1_000_000)
                    .put("peakServerConnections", peak)
                    .put("serverListings", peakServer.samples()).put("serverConnectionsAtEnd", atEnd)
                    .put("shrinkMs", shrinkMillis).record();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
