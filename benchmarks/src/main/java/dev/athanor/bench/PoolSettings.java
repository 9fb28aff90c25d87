package dev.athanor.bench;

import dev.athanor.Engine;

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
 * Backend × poolSize × maxOverflow × prePing on a real database: each operation checks a connection out, selects one
 * row by primary key and returns the connection (which rolls back). {@code contended} runs more threads than the
 * pool has connections, so checkouts wait; {@code uncontended} runs no more than it has. Throughput, and sample time
 * for the p50/p99 of the whole cycle (under contention mostly the wait for a free connection).
 *
 * <p>Embedded H2 unless a database is given: {@code java -Durl=postgresql://postgres@127.0.0.1/test -jar
 * benchmarks.jar PoolSettings} ({@link Main} hands the URL to the forks without exposing a password), or
 * {@code ATHANOR_BENCH_URL} in the environment. {@code impl=raw} measures the
 * native pool with the equivalent settings instead of Athanor over it.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:-BackgroundCompilation"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class PoolSettings {

    @Param({"hikari", "dbcp", "c3p0"})
    public String backend;

    @Param({"2", "8"})
    public int poolSize;

    @Param({"0"})
    public int maxOverflow;

    @Param({"false", "true"})
    public boolean prePing;

    @Param({"athanor"})
    public String impl;

    private BenchDatabase db;
    private Engine engine;
    private RawPool raw;
    private DataSource dataSource;
    private String select;

    @Setup(Level.Trial)
    public void setUp() {
        Backends.require(backend);
        Impl how = Impl.of(impl);
        db = BenchDatabase.open();
        select = db.selectSql();
        PoolConfig cfg = PoolConfig.of(poolSize, maxOverflow, prePing);
        if (how == Impl.ATHANOR) {
            engine = Backends.engine(backend, db.url(), cfg);
        } else {
            raw = Backends.raw(backend, db.url(), cfg);
            dataSource = raw.dataSource();
        }
        PreWarm.run(this::cycle);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (raw != null) {
            raw.close();
        }
        db.close();
    }

    /** 16 threads: more than the pool holds, so checkouts queue. */
    @Benchmark
    @Threads(16)
    public Item contended() throws SQLException {
        return cycle();
    }

    /** 2 threads: no more than the smallest pool holds, so nobody waits. */
    @Benchmark
    @Threads(2)
    public Item uncontended() throws SQLException {
        return cycle();
    }

    Item cycle() throws SQLException {
        long id = BenchDatabase.randomId();
        if (engine != null) {
            try (dev.athanor.Connection c = engine.connect()) {
                return Queries.selectAthanor(c, select, id);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return Queries.selectJdbc(c, select, id);
        }
    }
}
