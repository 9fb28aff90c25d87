package dev.athanor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.InvalidationReason;
import dev.athanor.PoolTimeoutException;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pool meter after one scripted workload — a failed connect, two borrows, a checkout that waits, one that times
 * out, an explicit invalidation and a failed pre-ping — with the same expected values on every backend and every
 * database: the meters are the engine's, whatever stores the connections.
 */
class PoolMetricsTest {
    static final String[] BACKENDS = {"queue", "hikari", "dbcp", "c3p0"};
    static final String[] TARGETS = {"stub", "h2", "postgresql", "mariadb"};

    static Stream<Arguments> cases() {
        return Stream.of(TARGETS).flatMap(t -> Stream.of(BACKENDS).map(b -> Arguments.of(b, t)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void everyMeterHasItsNameTagsUnitAndValueAfterTheWorkload(String backend, String target) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try (Target db = Target.of(target);
             Engine engine = Engine.builder(db.url()).pool(backend).poolName("metrics-" + backend + "-" + target)
                     .poolSize(2).maxOverflow(0).poolTimeout(Duration.ofMillis(300)).poolPrePing(true).build()) {
            AthanorMetrics metrics = new AthanorMetrics(engine);
            metrics.bindTo(registry);
            PoolReading m = new PoolReading(registry, engine.name());

            assertThatThrownBy(engine::connect).as("a checkout while the database cannot be reached")
                    .isInstanceOf(DisconnectionException.class);
            db.makeAvailable();

            Connection a = engine.connect();
            Connection b = engine.connect();
            Future<?> queued = waiter.submit(() -> engine.connect().close());
            m.awaitPending(1);
            assertThat(m.gauges()).as("while one checkout waits for the two borrowed connections").isEqualTo(
                    Map.of("idle", 0.0, "used", 2.0, "max", 2.0, "idle.max", 2.0, "pending", 1.0));
            a.close();
            queued.get(10, TimeUnit.SECONDS);

            Connection c = engine.connect();
            long serverId = db.serverId(c);
            assertThatThrownBy(engine::connect).isInstanceOf(PoolTimeoutException.class);
            c.close();

            b.invalidate();
            db.kill(serverId);
            engine.connect().close(); // finds c's connection dead at pre-ping, opens another

            assertThat(m.gauges()).as("at the end").isEqualTo(
                    Map.of("idle", 1.0, "used", 0.0, "max", 2.0, "idle.max", 2.0, "pending", 0.0));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("counters", Map.of(AthanorMetrics.TIMEOUTS, 1.0, AthanorMetrics.CONNECT_FAILURES, 1.0,
                    AthanorMetrics.WIDE_INVALIDATIONS, 1.0, AthanorMetrics.WAITS, 1.0));
            expected.put("invalidations", Map.of("explicit", 1.0, "disconnect", 0.0, "reset_failed", 0.0,
                    "closed_by_borrower", 0.0, "pre_ping", 1.0, "read_only_server", 0.0, "recycle", 0.0,
                    "stale", 0.0));
            // connects, checkouts, checkins (an invalidated connection is not checked in)
            expected.put("durations", Map.of(AthanorMetrics.CREATE_TIME, 3L, AthanorMetrics.WAIT_TIME, 5L,
                    AthanorMetrics.USE_TIME, 4L));
            assertThat(m.values()).isEqualTo(expected);
            FunctionTimer waited = registry.get(AthanorMetrics.WAIT_TIME).functionTimer();
            assertThat(waited.totalTime(TimeUnit.SECONDS)).as("time obtaining connections, the wait included")
                    .isPositive();
            assertThat(waited.baseTimeUnit()).isEqualTo(TimeUnit.SECONDS);
            m.assertShape();
        } finally {
            waiter.shutdownNow();
        }
    }

    /** Reads one pool's meters from a registry. */
    static final class PoolReading {
        final SimpleMeterRegistry registry;
        final String pool;

        PoolReading(SimpleMeterRegistry registry, String pool) {
            this.registry = registry;
            this.pool = pool;
        }

        double gauge(String name, String... tags) {
            return registry.get(name).tag(AthanorMetrics.POOL_NAME, pool).tags(tags).gauge().value();
        }

        Map<String, Double> gauges() {
            return Map.of("idle", gauge(AthanorMetrics.CONNECTION_COUNT, AthanorMetrics.STATE, "idle"),
                    "used", gauge(AthanorMetrics.CONNECTION_COUNT, AthanorMetrics.STATE, "used"),
                    "max", gauge(AthanorMetrics.CONNECTION_MAX),
                    "idle.max", gauge(AthanorMetrics.CONNECTION_IDLE_MAX),
                    "pending", gauge(AthanorMetrics.PENDING_REQUESTS));
        }

        Map<String, Object> values() {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("counters", counters());
            values.put("invalidations", invalidations());
            values.put("durations", durationCounts());
            return values;
        }

        Map<String, Double> counters() {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : List.of(AthanorMetrics.TIMEOUTS, AthanorMetrics.CONNECT_FAILURES,
                    AthanorMetrics.WIDE_INVALIDATIONS, AthanorMetrics.WAITS)) {
                values.put(name, registry.get(name).tag(AthanorMetrics.POOL_NAME, pool).counter().count());
            }
            return values;
        }

        Map<String, Double> invalidations() {
            return Stream.of(InvalidationReason.values()).collect(Collectors.toMap(InvalidationReason::tag,
                    r -> registry.get(AthanorMetrics.INVALIDATIONS).tag(AthanorMetrics.POOL_NAME, pool)
                            .tag(AthanorMetrics.REASON, r.tag()).counter().count()));
        }

        Map<String, Long> durationCounts() {
            return Stream.of(AthanorMetrics.CREATE_TIME, AthanorMetrics.WAIT_TIME, AthanorMetrics.USE_TIME)
                    .collect(Collectors.toMap(n -> n, n -> (long) registry.get(n).tag(AthanorMetrics.POOL_NAME, pool)
                            .functionTimer().count()));
        }

        /** Polls the pending-requests gauge (a queued checkout fires no event until its turn comes); bounded. */
        void awaitPending(double expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gauge(AthanorMetrics.PENDING_REQUESTS) != expected) {
                assertThat(System.nanoTime() - deadline).as("waiting for %s pending checkout(s)", expected)
                        .isNegative();
                Thread.sleep(1);
            }
        }

        /** Every meter of the pool: name, type, tags, base unit (none for counts: OpenTelemetry's are annotations). */
        void assertShape() {
            List<String> shapes = registry.getMeters().stream()
                    .filter(mt -> pool.equals(mt.getId().getTag(AthanorMetrics.POOL_NAME)))
                    .map(PoolReading::shape).sorted().collect(Collectors.toList());
            String p = "db.client.connection.pool.name=" + pool;
            List<String> expected = new java.util.ArrayList<>(List.of(
                    "athanor.pool.connect_failures COUNTER [" + p + "] null",
                    "athanor.pool.waits COUNTER [" + p + "] null",
                    "athanor.pool.wide_invalidations COUNTER [" + p + "] null",
                    "db.client.connection.count GAUGE [" + p + ", db.client.connection.state=idle] null",
                    "db.client.connection.count GAUGE [" + p + ", db.client.connection.state=used] null",
                    "db.client.connection.create_time TIMER [" + p + "] seconds",
                    "db.client.connection.idle.max GAUGE [" + p + "] null",
                    "db.client.connection.max GAUGE [" + p + "] null",
                    "db.client.connection.pending_requests GAUGE [" + p + "] null",
                    "db.client.connection.timeouts COUNTER [" + p + "] null",
                    "db.client.connection.use_time TIMER [" + p + "] seconds",
                    "db.client.connection.wait_time TIMER [" + p + "] seconds"));
            for (InvalidationReason r : InvalidationReason.values()) {
                expected.add("athanor.pool.invalidations COUNTER [" + p + ", reason=" + r.tag() + "] null");
            }
            expected.sort(null);
            assertThat(shapes).isEqualTo(expected);
        }

        private static String shape(Meter m) {
            Meter.Id id = m.getId();
            return id.getName() + " " + id.getType() + " "
                    + id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).sorted().collect(
                            Collectors.toList()) + " " + id.getBaseUnit();
        }
    }
}
