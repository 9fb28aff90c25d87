package dev.athanor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Engine;
import dev.athanor.testing.stub.StubDatabase;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Binding, unbinding, closed and collected engines, histograms and extra tags. */
class AthanorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static Engine engine(String name) {
        return Engine.builder(StubDatabase.fresh().url()).poolName(name).poolSize(3).maxOverflow(2).build();
    }

    private double gauge(String name, Engine e, String... tags) {
        return registry.get(name).tag(AthanorMetrics.POOL_NAME, e.name()).tags(tags).gauge().value();
    }

    @Test
    void unbindingRemovesTheMetersAndTheListener() {
        try (Engine e = engine("unbind")) {
            AthanorMetrics metrics = new AthanorMetrics(e);
            metrics.bindTo(registry);
            metrics.bindTo(registry); // a second bind to the same registry changes nothing
            e.connect().close();
            assertThat(registry.get(AthanorMetrics.WAIT_TIME).functionTimer().count()).isEqualTo(1);

            assertThat(metrics.unbind(registry)).isTrue();

            assertThat(registry.getMeters()).isEmpty();
            assertThat(metrics.unbind(registry)).isFalse();
            e.connect().close();
            assertThat(registry.getMeters()).isEmpty();
            metrics.bindTo(registry);
            assertThat(registry.get(AthanorMetrics.WAIT_TIME).functionTimer().count()).as("new meters").isZero();
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
            assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("[unbind] these metrics were closed; make new ones");
        }
    }

    @Test
    void severalRegistriesEachGetTheirMeters() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        try (Engine e = engine("two-registries")) {
            AthanorMetrics metrics = new AthanorMetrics(e);
            metrics.bindTo(registry);
            metrics.bindTo(other);
            e.connect().close();
            assertThat(registry.get(AthanorMetrics.USE_TIME).functionTimer().count()).isEqualTo(1);
            assertThat(other.get(AthanorMetrics.USE_TIME).functionTimer().count()).isEqualTo(1);
            metrics.unbind(registry);
            assertThat(other.getMeters()).isNotEmpty();
        }
    }

    @Test
    void aClosedEngineReportsZerosAndUnlimitedSizesAreInfinite() {
        Engine unlimited = Engine.builder(StubDatabase.fresh().url()).poolName("unlimited").poolSize(0)
                .maxOverflow(-1).build();
        new AthanorMetrics(unlimited).bindTo(registry);
        dev.athanor.Connection held = unlimited.connect();
        assertThat(gauge(AthanorMetrics.CONNECTION_MAX, unlimited)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(gauge(AthanorMetrics.CONNECTION_IDLE_MAX, unlimited)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(gauge(AthanorMetrics.CONNECTION_COUNT, unlimited, AthanorMetrics.STATE, "used")).isEqualTo(1);

        unlimited.close();

        assertThat(gauge(AthanorMetrics.CONNECTION_COUNT, unlimited, AthanorMetrics.STATE, "used")).isZero();
        assertThat(gauge(AthanorMetrics.CONNECTION_COUNT, unlimited, AthanorMetrics.STATE, "idle")).isZero();
        assertThat(gauge(AthanorMetrics.CONNECTION_MAX, unlimited)).isZero();
        assertThat(gauge(AthanorMetrics.PENDING_REQUESTS, unlimited)).isZero();
        held.close();
    }

    @Test
    void theNullPoolKeepsNothingIdle() {
        try (Engine e = Engine.builder(StubDatabase.fresh().url()).pool("null").poolName("nullpool").build()) {
            new AthanorMetrics(e).bindTo(registry);
            assertThat(gauge(AthanorMetrics.CONNECTION_IDLE_MAX, e)).isZero();
        }
    }

    @Test
    void theRegistryDoesNotKeepAnEngineAlive() throws InterruptedException {
        WeakReference<Engine> ref = bindAndForget();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the engine, referenced only by the registry's gauges").isNull();
        assertThat(registry.get(AthanorMetrics.CONNECTION_MAX).gauge().value()).isNaN();
    }

    private WeakReference<Engine> bindAndForget() {
        Engine e = engine("forgotten");
        new AthanorMetrics(e).bindTo(registry);
        e.connect().close();
        e.close();
        return new WeakReference<>(e);
    }

    @Test
    void histogramsMakeTheDurationsTimersWithAHistogram() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Engine e = engine("histograms")) {
            AthanorMetrics metrics = new AthanorMetrics(e, Tags.of("app", "blog")).histograms(true);
            metrics.bindTo(prometheus);
            e.connect().close();

            Timer wait = prometheus.get(AthanorMetrics.WAIT_TIME).tag("app", "blog").timer();
            assertThat(wait.count()).isEqualTo(1);
            assertThat(wait.max(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(prometheus.scrape()).containsPattern("(?m)^db_client_connection_wait_time_seconds_bucket\\{"
                    + "app=\"blog\",db_client_connection_pool_name=\"histograms\",le=\"[0-9.]+\"} 1$");
            assertThatThrownBy(() -> metrics.histograms(false)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("[histograms] histograms(false) must be set before bindTo(registry); these metrics are"
                            + " bound already");
        }
    }

    @Test
    void prometheusShowsTheOpenTelemetryNamesWithoutUnitSuffixesOnCounts() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Engine e = engine("prom")) {
            new AthanorMetrics(e).bindTo(prometheus);
            dev.athanor.Connection held = e.connect();
            String p = "db_client_connection_pool_name=\"prom\"";
            assertThat(prometheus.scrape())
                    .containsPattern("(?m)^db_client_connection_count\\{" + p
                            + ",db_client_connection_state=\"used\"} 1(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_max\\{" + p + "} 5(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_idle_max\\{" + p + "} 3(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_pending_requests\\{" + p + "} 0(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_timeouts_total\\{" + p + "} 0(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_wait_time_seconds_count\\{" + p + "} 1(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_create_time_seconds_sum\\{" + p + "} ")
                    .containsPattern("(?m)^athanor_pool_invalidations_total\\{" + p + ",reason=\"stale\"} 0");
            held.close();
        }
    }
}
