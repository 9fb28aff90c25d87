package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * What Athanor adds on top of a pool: the same cycle through the native pool ({@code impl=raw}) and through an
 * Athanor engine over that pool ({@code impl=athanor}), on the stub JDBC driver so that no database time hides the
 * difference. The pool is larger than the thread count: nobody waits, only overhead is measured.
 *
 * <ul>
 *   <li>{@code connectionCycle}: check a connection out and return it.</li>
 *   <li>{@code statementCycle}: check out, run {@code SELECT ?} with one bind, read the value, return (the return
 *       rolls back, as the statement began a transaction).</li>
 * </ul>
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PoolOverhead -rf json}; or
 * {@code java -cp benchmarks/target/benchmarks.jar dev.athanor.bench.SuiteReport PoolOverhead} for the table of
 * nanoseconds Athanor adds per cycle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolOverhead {
    static final String SELECT = "SELECT ?";

    @Param({"hikari", "dbcp", "c3p0"})
    public String backend;

    @Param({"raw", "athanor"})
    public String impl;

    /** Larger than the thread count of every method: no checkout waits. */
    @Param({"16"})
    public int poolSize;

    private RawPool raw;
    private Engine engine;
    private DataSource dataSource;
    private Impl how;

    @Setup(Level.Trial)
    public void setUp() {
        Backends.require(backend);
        how = Impl.of(impl);
        String url = StubDatabase.fresh().url();
        PoolConfig cfg = PoolConfig.of(poolSize, 0, false);
        switch (how) {
            case ATHANOR -> engine = Backends.engine(backend, url, cfg);
            case RAW -> {
                raw = Backends.raw(backend, url, cfg);
                dataSource = raw.dataSource();
            }
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
        return connection();
    }

    @Benchmark
    @Threads(8)
    public Object connectionCycle8() throws SQLException {
        return connection();
    }

    @Benchmark
    @Threads(1)
    public long statementCycle() throws SQLException {
        return statement();
    }

    @Benchmark
    @Threads(8)
    public long statementCycle8() throws SQLException {
        return statement();
    }

    private Object connection() throws SQLException {
        switch (how) {
            case ATHANOR -> {
                dev.athanor.Connection c = engine.connect();
                c.close();
                return c;
            }
            default -> {
                Connection c = dataSource.getConnection();
                c.close();
                return c;
            }
        }
    }

    private long statement() throws SQLException {
        long n = System.identityHashCode(this);
        switch (how) {
            case ATHANOR -> {
                try (dev.athanor.Connection c = engine.connect()) {
                    return c.execute(SELECT, n).scalar(Long.class);
                }
            }
            default -> {
                try (Connection c = dataSource.getConnection()) {
                    return select(c, n);
                }
            }
        }
    }

    private static long select(Connection c, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
