package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.mybatis.MyBatisSession;
import dev.athanor.mybatis.MyBatisSessionFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * One statement per transaction, from checkout to return, by every path a user could take to the same pool and the
 * same embedded H2 database: select-by-primary-key mapped to an {@link Item}, and an insert that reads back its
 * generated id and commits.
 *
 * <ul>
 *   <li>{@code *RawJdbc}: plain JDBC on the native pool ({@code backend}, HikariCP by default) — the baseline.</li>
 *   <li>{@code *AthanorConnection}: an Athanor engine over the same backend with the same settings.</li>
 *   <li>{@code *AthanorSession}: a {@link Session} per operation from a {@link SessionFactory} bound to that engine
 *       (defaults, leak detection included).</li>
 *   <li>{@code *AthanorMyBatis}: the same MyBatis statements as {@code *MyBatis}, run in an Athanor
 *       {@link MyBatisSession} over the engine.</li>
 *   <li>{@code *Jdbi}, {@code *JdbcTemplate}, {@code *MyBatis}: those libraries on the native pool
 *       (see {@link Libraries}).</li>
 *   <li>{@code *Dedicated}: plain JDBC on a connection each thread owns (no pool): the physical limit.</li>
 * </ul>
 *
 * <p>Every pooled path returns a connection that ran a statement, so the pool rolls it back on return (a select) or
 * the path commits (an insert); the same work for everyone. Average time per operation, one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
public class QueryPath {
    private static final AtomicLong AMOUNTS = new AtomicLong();

    /** The database and the backend every path shares. */
    @State(Scope.Benchmark)
    public static class Db {
        @Param({"hikari"})
        public String backend;

        @Param({"8"})
        public int poolSize;

        BenchDatabase db;

        @Setup(Level.Trial)
        public void setUp() {
            Backends.require(backend);
            db = BenchDatabase.open();
        }

        /** Inserted rows are removed between iterations so the table stays small. */
        @Setup(Level.Iteration)
        public void clear() {
            db.clearEntries();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }

        PoolConfig config() {
            return PoolConfig.of(poolSize, 0, false);
        }
    }

    /** The native pool. */
    @State(Scope.Benchmark)
    public static class Native {
        RawPool pool;
        DataSource ds;

        @Setup(Level.Trial)
        public void setUp(Db db) {
            pool = Backends.raw(db.backend, db.db.url(), db.config());
            ds = pool.dataSource();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** An Athanor engine over the same backend. */
    @State(Scope.Benchmark)
    public static class Athanor {
        Engine engine;

        @Setup(Level.Trial)
        public void setUp(Db db) {
            engine = Backends.engine(db.backend, db.db.url(), db.config());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    /** A session factory over the Athanor engine, with its defaults. */
    @State(Scope.Benchmark)
    public static class Sessions {
        SessionFactory factory;

        @Setup(Level.Trial)
        public void setUp(Athanor athanor) {
            factory = SessionFactory.builder().bind(athanor.engine).build();
        }
    }

    /** MyBatis inside Athanor sessions, with the statements plain MyBatis runs. */
    @State(Scope.Benchmark)
    public static class AthanorMyBatis {
        MyBatisSessionFactory factory;

        @Setup(Level.Trial)
        public void setUp(Db db, Sessions sessions) {
            factory = MyBatisSessionFactory.builder(sessions.factory)
                    .configure(c -> Libraries.MyBatisPath.addMapper(c, db.db))
                    .build();
        }
    }

    @State(Scope.Benchmark)
    public static class JdbiState {
        Libraries.JdbiPath path;

        @Setup(Level.Trial)
        public void setUp(Db db, Native pool) {
            path = new Libraries.JdbiPath(pool.ds, db.db);
        }
    }

    @State(Scope.Benchmark)
    public static class SpringState {
        Libraries.SpringPath path;

        @Setup(Level.Trial)
        public void setUp(Db db, Native pool) {
            path = new Libraries.SpringPath(pool.ds, db.db);
        }
    }

    @State(Scope.Benchmark)
    public static class MyBatisState {
        Libraries.MyBatisPath path;

        @Setup(Level.Trial)
        public void setUp(Db db, Native pool) {
            path = new Libraries.MyBatisPath(pool.ds, db.db);
        }
    }

    /** A connection this thread owns for the whole run. */
    @State(Scope.Thread)
    public static class Own {
        Connection connection;

        @Setup(Level.Trial)
        public void setUp(Db db) throws SQLException {
            connection = new PhysicalDataSource(db.db.url()).getConnection();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            connection.close();
        }
    }

    // ---- select by primary key

    @Benchmark
    public Item selectRawJdbc(Db db, Native pool) throws SQLException {
        try (Connection c = pool.ds.getConnection()) {
            return Queries.selectJdbc(c, db.db.selectSql(), BenchDatabase.randomId());
        }
    }

    @Benchmark
    public Item selectAthanorConnection(Db db, Athanor athanor) {
        try (dev.athanor.Connection c = athanor.engine.connect()) {
            return Queries.selectAthanor(c, db.db.selectSql(), BenchDatabase.randomId());
        }
    }

    @Benchmark
    public Item selectAthanorSession(Db db, Sessions sessions) {
        try (Session s = sessions.factory.openSession()) {
            return Queries.item(s.execute(db.db.selectSql(), BenchDatabase.randomId()).one());
        }
    }

    @Benchmark
    public Item selectAthanorMyBatis(AthanorMyBatis mybatis) {
        try (MyBatisSession s = mybatis.factory.openSession()) {
            return s.sqlSession().selectOne("bench.selectItem", BenchDatabase.randomId());
        }
    }

    @Benchmark
    public Item selectJdbi(JdbiState jdbi) {
        return jdbi.path.select(BenchDatabase.randomId());
    }

    @Benchmark
    public Item selectJdbcTemplate(SpringState spring) {
        return spring.path.select(BenchDatabase.randomId());
    }

    @Benchmark
    public Item selectMyBatis(MyBatisState mybatis) {
        return mybatis.path.select(BenchDatabase.randomId());
    }

    @Benchmark
    public Item selectDedicated(Db db, Own own) throws SQLException {
        Item item = Queries.selectJdbc(own.connection, db.db.selectSql(), BenchDatabase.randomId());
        own.connection.rollback();
        return item;
    }

    // ---- insert with a generated key

    @Benchmark
    public long insertRawJdbc(Db db, Native pool) throws SQLException {
        try (Connection c = pool.ds.getConnection()) {
            return Queries.insertJdbc(c, db.db.insertSql(), "entry", AMOUNTS.incrementAndGet());
        }
    }

    @Benchmark
    public long insertAthanorConnection(Db db, Athanor athanor) {
        try (dev.athanor.Connection c = athanor.engine.connect()) {
            return Queries.insertAthanor(c, db.db.insertSql(), "entry", AMOUNTS.incrementAndGet());
        }
    }

    @Benchmark
    public long insertAthanorSession(Db db, Sessions sessions) {
        try (Session s = sessions.factory.openSession()) {
            long id = s.execute(db.db.insertSql(), "entry", AMOUNTS.incrementAndGet()).generatedKeys()
                    .scalar(Long.class);
            s.commit();
            return id;
        }
    }

    @Benchmark
    public long insertAthanorMyBatis(AthanorMyBatis mybatis) {
        try (MyBatisSession s = mybatis.factory.openSession()) {
            Libraries.Entry entry = new Libraries.Entry("entry", AMOUNTS.incrementAndGet());
            s.sqlSession().insert("bench.insertEntry", entry);
            s.commit();
            return entry.getId();
        }
    }

    @Benchmark
    public long insertJdbi(JdbiState jdbi) {
        return jdbi.path.insert("entry", AMOUNTS.incrementAndGet());
    }

    @Benchmark
    public long insertJdbcTemplate(SpringState spring) {
        return spring.path.insert("entry", AMOUNTS.incrementAndGet());
    }

    @Benchmark
    public long insertMyBatis(MyBatisState mybatis) {
        return mybatis.path.insert("entry", AMOUNTS.incrementAndGet());
    }

    @Benchmark
    public long insertDedicated(Db db, Own own) throws SQLException {
        return Queries.insertJdbc(own.connection, db.db.insertSql(), "entry", AMOUNTS.incrementAndGet());
    }
}
