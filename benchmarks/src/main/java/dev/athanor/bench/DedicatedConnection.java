package dev.athanor.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical limit: every thread owns one connection for the whole run (no pool at all) and does what
 * {@link PoolSettings} does per operation — select one row by primary key, then roll back, as a pool's return
 * would. A pool can approach this number, never beat it. Same database rules as {@link PoolSettings}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:-BackgroundCompilation"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class DedicatedConnection {

    /** The database, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Db {
        BenchDatabase db;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            db = BenchDatabase.open();
            Own warm = new Own();
            warm.setUp(this);
            try {
                PreWarm.run(() -> cycle(warm));
            } finally {
                warm.tearDown();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    /** One physical connection per thread. */
    @State(Scope.Thread)
    public static class Own {
        Connection connection;
        String select;

        @Setup(Level.Trial)
        public void setUp(Db shared) throws SQLException {
            connection = new PhysicalDataSource(shared.db.url()).getConnection();
            select = shared.db.selectSql();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            connection.close();
        }
    }

    @Benchmark
    @Threads(16)
    public Item contended(Own own) throws SQLException {
        return cycle(own);
    }

    @Benchmark
    @Threads(2)
    public Item uncontended(Own own) throws SQLException {
        return cycle(own);
    }

    private static Item cycle(Own own) throws SQLException {
        Item item = Queries.selectJdbc(own.connection, own.select, BenchDatabase.randomId());
        own.connection.rollback();
        return item;
    }
}
