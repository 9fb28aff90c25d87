package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.micrometer.AthanorMetrics;
import dev.athanor.testing.stub.StubDatabase;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What binding {@link AthanorMetrics} costs per checkout/checkin cycle: the same engine on the stub driver with no
 * meters ({@code metrics=none}: no pool listener, so the engine does not even read the clock), with the meters in a
 * {@code SimpleMeterRegistry} ({@code simple}) and in a {@code PrometheusMeterRegistry} ({@code prometheus}), each
 * with the default durations (count and total) and with {@code histograms=true} (Micrometer timers with a percentile
 * histogram). The difference from {@code none} in the same run is the overhead: the engine's clock reads for the
 * durations plus one record at checkout and one at checkin; {@code metrics=listener} (an empty pool listener) shows how
 * much of it is the engine's timing alone. ({@code none} and {@code listener} ignore {@code histograms}.)
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar MetricsOverhead -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverhead {
    private static final Map<String, Supplier<MeterRegistry>> REGISTRIES = Map.of(
            "simple", SimpleMeterRegistry::new,
            "prometheus", () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    /** Core's own pool and HikariCP: the meters are the engine's, so the backend only shifts the baseline. */
    @Param({"queue", "hikari"})
    public String backend;

    /** {@code listener}: an empty pool listener, so the engine times its events but nothing records them. */
    @Param({"none", "listener", "simple", "prometheus"})
    public String metrics;

    /** Durations as count and total (default) or as Micrometer timers with a percentile histogram. */
    @Param({"false", "true"})
    public boolean histograms;

    private Engine engine;
    private AthanorMetrics bound;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Engine.builder(StubDatabase.fresh().url()).pool(backend).poolName("bench-metrics")
                .poolSize(16).maxOverflow(0).build();
        if (metrics.equals("listener")) {
            engine.addListener(new PoolListener() { });
        } else if (!metrics.equals("none")) {
            Supplier<MeterRegistry> registry = REGISTRIES.get(metrics);
            if (registry == null) {
                throw new IllegalArgumentException("unknown metrics '" + metrics + "'; valid: none, listener, "
                        + String.join(", ", REGISTRIES.keySet()));
            }
            bound = new AthanorMetrics(engine).histograms(histograms);
            bound.bindTo(registry.get());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (bound != null) {
            bound.close();
        }
        engine.close();
    }

    @Benchmark
    @Threads(1)
    public Object connectionCycle() {
        dev.athanor.Connection c = engine.connect();
        c.close();
        return c;
    }

    @Benchmark
    @Threads(4)
    public Object connectionCycle4() {
        dev.athanor.Connection c = engine.connect();
        c.close();
        return c;
    }
}
