package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * Core's own {@code queue} pool against raw HikariCP, the fastest native pool, in one run: a connection cycle
 * (check out, return) on the stub driver, one thread, the pool larger than the thread count so that nobody waits.
 * {@code target=hikari-raw} is HikariCP used directly; {@code queue} and {@code hikari} are Athanor engines (the
 * engine's rules plus that store).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar QueueOverhead -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueueOverhead {

    @Param({"hikari-raw", "queue", "hikari"})
    public String target;

    private RawPool raw;
    private DataSource dataSource;
    private Engine engine;

    @Setup(Level.Trial)
    public void setUp() {
        String url = StubDatabase.fresh().url();
        PoolConfig cfg = PoolConfig.of(16, 0, false);
        switch (target) {
            case "hikari-raw" -> {
                raw = Backends.raw("hikari", url, cfg);
                dataSource = raw.dataSource();
            }
            case "queue" -> engine = Engine.builder(url).pool("queue").poolName("bench-queue")
                    .poolSize(cfg.poolSize()).maxOverflow(cfg.maxOverflow()).poolTimeout(cfg.poolTimeout()).build();
            case "hikari" -> engine = Backends.engine("hikari", url, cfg);
            default -> throw new IllegalArgumentException("unknown target '" + target
                    + "'; valid targets: hikari-raw, queue, hikari");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Benchmark
    @Threads(1)
    public Object connectionCycle() throws SQLException {
        if (engine != null) {
            dev.athanor.Connection c = engine.connect();
            c.close();
            return c;
        }
        Connection c = dataSource.getConnection();
        c.close();
        return c;
    }
}
