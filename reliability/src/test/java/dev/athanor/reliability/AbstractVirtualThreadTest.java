package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionScope;
import dev.athanor.testing.TestDatabase;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 6, virtual threads: 10,000 virtual threads share a pool of 10, each running a unit of work (alternately
 * an engine transaction block and a {@link ScopedSession#inScope} block), and all complete: no deadlock, every row
 * there, every connection returned. JFR's {@code jdk.VirtualThreadPinned} events (threshold 20 ms) are recorded; no
 * carrier may stay pinned for as long as a second.
 *
 * <p>Tagged {@code virtual-threads}: the build runs it in a second test pass on the newer JDK (the build itself
 * targets Java 17, where virtual threads do not exist; there it is skipped). Virtual threads are reached by
 * reflection.
 */
@Tag("virtual-threads")
abstract class AbstractVirtualThreadTest {
    static final int THREADS = 10_000;
    static final int POOL_SIZE = 10;
    static final Duration MAX_PINNED = Duration.ofSeconds(1);

    abstract TestDatabase database();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(240)
    void tenThousandVirtualThreadsShareAPoolOfTenAndAllComplete(String backend) throws Exception {
        ExecutorService executor = virtualThreadPerTask();
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(POOL_SIZE).maxOverflow(0)
                     .poolTimeout(Duration.ofSeconds(120)).build();
             RecordingStream pins = new RecordingStream()) {
            String table = target.table("rel_vthreads");
            target.admin("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, note VARCHAR(20))");
            String insert = "INSERT INTO " + table + " (id, note) VALUES (:id, :note)";
            ScopedSession<Session> scoped = ScopedSession.of(SessionFactory.builder().bind(engine).build(),
                    SessionScope.threadLocal());

            AtomicInteger pinned = new AtomicInteger();
            AtomicLong longestPinNanos = new AtomicLong();
            AtomicReference<String> longestPinWhere = new AtomicReference<>("-");
            pins.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20)).withStackTrace();
            pins.onEvent("jdk.VirtualThreadPinned", e -> {
                pinned.incrementAndGet();
                long nanos = e.getDuration().toNanos();
                if (nanos > longestPinNanos.getAndAccumulate(nanos, Math::max)) {
                    longestPinWhere.set(where(e));
                }
            });
            pins.startAsync();

            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            ServerPeak peakServer = ServerPeak.start(target);
            long start = System.nanoTime();
            for (int i = 0; i < THREADS; i++) {
                long id = i;
                executor.execute(() -> {
                    try {
                        if ((id & 1) == 0) {
                            engine.useTransaction(c -> c.execute(insert, Map.of("id", id, "note", "engine")));
                        } else {
                            scoped.inScope(() -> scoped.execute(insert, Map.of("id", id, "note", "scoped")));
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
            executor.shutdown();
            boolean finished = executor.awaitTermination(180, TimeUnit.SECONDS);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            int peak = peakServer.stop();
            if (!finished) {
                executor.shutdownNow();
                throw new AssertionError("10,000 virtual threads did not finish within 180 s (deadlock?); pool "
                        + engine.status() + "; platform threads:\n" + platformThreads());
            }

            assertThat(failures).as("failed units").isEmpty();
            assertThat(target.adminCount("SELECT count(*) FROM " + table)).as("rows").isEqualTo(THREADS);
            assertThat(engine.status().checkedOut()).as("checked out at the end").isZero();
            assertThat(peakServer.samples()).as("listings of the server's connections during the run").isPositive();
            assertThat(peak).as("server connections at the peak, sampled back to back for the whole run (%d"
                    + " listings)", peakServer.samples()).isLessThanOrEqualTo(POOL_SIZE);
            int atEnd = Await.atMost(Duration.ofSeconds(15), POOL_SIZE, target::serverConnections);
            assertThat(atEnd).as("server connections at the end").isLessThanOrEqualTo(POOL_SIZE);
            assertThat(Duration.ofNanos(longestPinNanos.get())).as("longest pin, at " + longestPinWhere.get())
                    .isLessThan(MAX_PINNED);

            Figures.of("virtualThreads", backend, database()).put("threads", THREADS).put("pool", POOL_SIZE)
                    .put("elapsedMs", elapsedMillis).put("failures", failures.size())
                    .put("pinnedOver20ms", pinned.get()).put("longestPinMs", longestPinNanos.get() / 1_000_000)
                    .put("longestPinAt", longestPinWhere.get()).put("serverConnectionsAtEnd", atEnd)
                    .put("peakServerConnections", peak).put("serverListings", peakServer.samples()).record();
        } finally {
            executor.shutdownNow();
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, by reflection: the build targets Java 17. */
    static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            Assumptions.abort("virtual threads need Java 21+; this is Java " + Runtime.version().feature()
                    + " (the build runs this test in its second pass, on the newer JDK)");
            throw new AssertionError(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a virtual-thread executor", e);
        }
    }

    private static String where(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        return frames.stream().limit(3).map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                .collect(Collectors.joining("<")).replace(' ', '_');
    }

    private static String platformThreads() {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        return Arrays.stream(infos).map(ThreadInfo::toString).collect(Collectors.joining());
    }
}
