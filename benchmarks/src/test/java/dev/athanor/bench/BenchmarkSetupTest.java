package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.mybatis.MyBatisSession;
import dev.athanor.mybatis.MyBatisSessionFactory;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pieces the benchmarks are built from: if one of them is wrong the numbers mean nothing. */
class BenchmarkSetupTest {
    private BenchDatabase db;

    @BeforeEach
    void open() {
        db = BenchDatabase.open(null);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void unknownBackendFailsAtSetupWithTheValidNames() {
        assertThatThrownBy(() -> Backends.raw("bonecp", db.url(), PoolConfig.of(1, 0, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown backend 'bonecp'; valid backends: hikari, dbcp, c3p0");
        assertThatThrownBy(() -> Backends.engine("null", db.url(), PoolConfig.of(1, 0, false)))
                .hasMessageContaining("valid backends: hikari, dbcp, c3p0");
        assertThatThrownBy(() -> Impl.of("jdbc")).hasMessage("unknown impl 'jdbc'; valid: raw, athanor");
    }

    @Test
    void everyRawPoolHandsOutConnectionsWithAutoCommitOffAndRollsBackOnReturn() throws SQLException {
        for (String backend : Backends.names()) {
            try (RawPool pool = Backends.raw(backend, db.url(), PoolConfig.of(2, 0, true))) {
                try (Connection c = pool.dataSource().getConnection()) {
                    assertThat(c.getAutoCommit()).as(backend).isFalse();
                    c.createStatement().executeUpdate("INSERT INTO " + db.entriesTable()
                            + " (name, amount) VALUES ('uncommitted', 1)");
                }
                try (Connection c = pool.dataSource().getConnection()) {
                    assertThat(Queries.selectJdbc(c, db.selectSql(), 7)).isEqualTo(new Item(7, "item-7", 700));
                    var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + db.entriesTable());
                    rs.next();
                    assertThat(rs.getInt(1)).as(backend + " rolled back on return").isZero();
                }
            }
        }
    }

    @Test
    void everyQueryPathReadsTheSameRowAndInsertsWithAGeneratedKey() {
        try (RawPool pool = Backends.raw("hikari", db.url(), PoolConfig.of(2, 0, false))) {
            Libraries.JdbiPath jdbi = new Libraries.JdbiPath(pool.dataSource(), db);
            Libraries.SpringPath spring = new Libraries.SpringPath(pool.dataSource(), db);
            Libraries.MyBatisPath mybatis = new Libraries.MyBatisPath(pool.dataSource(), db);
            Item expected = new Item(42, "item-42", 4200);
            assertThat(jdbi.select(42)).isEqualTo(expected);
            assertThat(spring.select(42)).isEqualTo(expected);
            assertThat(mybatis.select(42)).isEqualTo(expected);
            long a = jdbi.insert("a", 1);
            long b = spring.insert("b", 2);
            long c = mybatis.insert("c", 3);
            assertThat(b).isGreaterThan(a);
            assertThat(c).isGreaterThan(b);
            assertThat(count(pool)).as("every insert was committed").isEqualTo(3);
            db.clearEntries();
            assertThat(count(pool)).isZero();
        }
    }

    @Test
    void athanorPathsReadTheSameRowAndCommitTheirInserts() {
        try (dev.athanor.Engine engine = Backends.engine("hikari", db.url(), PoolConfig.of(2, 0, false))) {
            dev.athanor.SessionFactory sessions = dev.athanor.SessionFactory.builder().bind(engine).build();
            try (dev.athanor.Connection c = engine.connect()) {
                assertThat(Queries.selectAthanor(c, db.selectSql(), 9)).isEqualTo(new Item(9, "item-9", 900));
                assertThat(Queries.insertAthanor(c, db.insertSql(), "x", 1)).isPositive();
            }
            try (dev.athanor.Session s = sessions.openSession()) {
                assertThat(Queries.item(s.execute(db.selectSql(), 9L).one())).isEqualTo(new Item(9, "item-9", 900));
            }
            MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
                    .configure(c -> Libraries.MyBatisPath.addMapper(c, db)).build();
            try (MyBatisSession s = orm.openSession()) {
                Item item = s.sqlSession().selectOne("bench.selectItem", 9L);
                assertThat(item).isEqualTo(new Item(9, "item-9", 900));
                Libraries.Entry entry = new Libraries.Entry("y", 2);
                s.sqlSession().insert("bench.insertEntry", entry);
                s.commit();
                assertThat(entry.getId()).isPositive();
            }
            long committed = engine.withConnection(c -> c.execute("SELECT count(*) FROM " + db.entriesTable())
                    .scalar(Long.class));
            assertThat(committed).isEqualTo(2);
        }
    }

    private long count(RawPool pool) {
        try (Connection c = pool.dataSource().getConnection()) {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + db.entriesTable());
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
