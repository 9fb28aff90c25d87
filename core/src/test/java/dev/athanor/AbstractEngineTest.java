package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Engine, Connection and Result behaviour, written once and run on every database by a thin subclass. Runs on the
 * core pools only (this module has no pooling backend); the backends run the same rules through the test kit.
 */
abstract class AbstractEngineTest {
    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.on(database());

    protected Engine engine;
    protected String table;

    protected abstract TestDatabase database();

    @BeforeEach
    void createTable() {
        engine = db.engine();
        table = TestDatabase.uniqueName("eng");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (" + database().idColumn()
                + ", name VARCHAR(100), n INT)"));
    }

    @AfterEach
    void dropTable() {
        engine.useTransaction(c -> c.execute("DROP TABLE " + table));
    }

    private void insert(Connection c, String name, int n) {
        c.execute("INSERT INTO " + table + " (name, n) VALUES (:name, :n)", Map.of("name", name, "n", n));
    }

    private long count() {
        return engine.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    @Test
    void pingIsUpAndReturnsItsConnection() {
        Health h = engine.ping(java.time.Duration.ofSeconds(10));
        assertThat(h.isUp()).as(h.toString()).isTrue();
        assertThat(h.latency()).isPositive();
        assertThat(engine.status().checkedOut()).isZero();
        assertThat(engine.status().checkedIn()).isEqualTo(1);
    }

    @Test
    void buildingAnEngineOpensNothing() {
        AtomicInteger connects = new AtomicInteger();
        Engine lazy = Engine.builder(database().availableUrl()).build();
        lazy.addListener(new PoolListener() {
            @Override
            public void onConnect(java.sql.Connection physical) {
                connects.incrementAndGet();
            }
        });
        assertThat(lazy.status().checkedOut()).isZero();
        assertThat(connects).hasValue(0);
        lazy.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(connects).hasValue(1);
        lazy.close();
    }

    @Test
    void namedAndPositionalBindsRoundTrip() {
        engine.useTransaction(c -> {
            insert(c, "ann", 1);
            c.execute("INSERT INTO " + table + " (name, n) VALUES (?, ?)", "bob", 2);
        });
        engine.useConnection(c -> {
            assertThat(c.execute("SELECT n FROM " + table + " WHERE name = :name", Map.of("name", "bob"))
                    .scalar(Integer.class)).isEqualTo(2);
            assertThat(c.execute("SELECT name FROM " + table + " WHERE n = ?", 1).scalar(String.class))
                    .isEqualTo("ann");
        });
    }

    @Test
    void resultAccessors() {
        engine.useTransaction(c -> {
            insert(c, "ann", 1);
            insert(c, "bob", 2);
        });
        engine.useConnection(c -> {
            String q = "SELECT name, n FROM " + table + " ORDER BY n";
            assertThat(c.execute(q).all()).extracting(r -> r.get("name")).containsExactly("ann", "bob");
            assertThat(c.execute(q).first().get(1, Integer.class)).isEqualTo(1);
            assertThat(c.execute(q).scalars(String.class)).containsExactly("ann", "bob");
            assertThat(c.execute(q).map(r -> r.get("NAME", String.class) + r.get("n", Long.class)))
                    .containsExactly("ann1", "bob2");
            List<Map<String, Object>> maps = c.execute(q).mappings();
            assertThat(maps).hasSize(2);
            assertThat(maps.get(0).keySet()).map(String::toLowerCase).containsExactly("name", "n");
            assertThat(c.execute(q + " LIMIT 0").first()).isNull();
            assertThat(c.execute(q + " LIMIT 0").scalar()).isNull();
            Row one = c.execute("SELECT name FROM " + table + " WHERE n = :n", Map.of("n", 2)).one();
            assertThat(one.get(0)).isEqualTo("bob");
            assertThat(one.asMap()).hasSize(1);
        });
    }

    @Test
    void oneRequiresExactlyOneRow() {
        engine.useTransaction(c -> {
            insert(c, "ann", 1);
            insert(c, "bob", 1);
        });
        engine.useConnection(c -> {
            assertThatThrownBy(() -> c.execute("SELECT * FROM " + table + " WHERE n = 9").one())
                    .isInstanceOf(NoResultException.class);
            assertThatThrownBy(() -> c.execute("SELECT * FROM " + table + " WHERE n = 1").one())
                    .isInstanceOf(MultipleResultsException.class);
            assertThatThrownBy(() -> c.execute("SELECT * FROM " + table + " WHERE n = 1").oneOrNull())
                    .isInstanceOf(MultipleResultsException.class);
            assertThat(c.execute("SELECT * FROM " + table + " WHERE n = 9").oneOrNull()).isNull();
        });
    }

    @Test
    void aResultIsReadOnce() {
        engine.useConnection(c -> {
            Result r = c.execute("SELECT 1");
            r.all();
            assertThatThrownBy(r::all).isInstanceOf(IllegalStateException.class).hasMessageContaining("read once");
        });
    }

    @Test
    void dmlResultHasRowCountAndNoRows() {
        engine.useTransaction(c -> {
            insert(c, "ann", 1);
            insert(c, "bob", 1);
            Result r = c.execute("UPDATE " + table + " SET n = 5 WHERE n = 1");
            assertThat(r.rowCount()).isEqualTo(2);
            assertThat(r.returnsRows()).isFalse();
            assertThatThrownBy(r::all).isInstanceOf(IllegalStateException.class).hasMessageContaining("rowCount");
        });
    }

    @Test
    void firstStatementBeginsATransactionThatCommitMakesVisible() {
        try (Connection c = engine.connect()) {
            assertThat(c.inTransaction()).isFalse();
            insert(c, "ann", 1);
            assertThat(c.inTransaction()).isTrue();
            try (Connection other = engine.connect()) {
                assertThat(other.execute("SELECT count(*) FROM " + table).scalar(Long.class)).isZero();
            }
            c.commit();
            assertThat(c.inTransaction()).isFalse();
        }
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void closeWithoutCommitRollsBack() {
        try (Connection c = engine.connect()) {
            insert(c, "ann", 1);
        }
        assertThat(count()).isZero();
    }

    @Test
    void rollbackDiscardsTheTransaction() {
        engine.useConnection(c -> {
            insert(c, "ann", 1);
            c.rollback();
            insert(c, "bob", 2);
            c.commit();
        });
        List<String> names = engine.withConnection(c -> c.execute("SELECT name FROM " + table).scalars(String.class));
        assertThat(names).containsExactly("bob");
    }

    @Test
    void inTransactionCommitsOnReturnAndRollsBackOnThrow() {
        long id = engine.inTransaction(c -> {
            insert(c, "ann", 1);
            return 7L;
        });
        assertThat(id).isEqualTo(7L);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> engine.useTransaction(c -> {
            insert(c, "bob", 2);
            throw boom;
        })).isSameAs(boom);
        assertThat(count()).isEqualTo(1);
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void checkedExceptionsPassThroughTransactionBlocks() {
        assertThatThrownBy(() -> engine.useTransaction(c -> {
            insert(c, "ann", 1);
            throw new SQLException("checked", "99999");
        })).isInstanceOf(SQLException.class).hasMessage("checked");
        assertThat(count()).isZero();
    }

    @Test
    void savepointRollbackKeepsTheOuterTransaction() {
        engine.useTransaction(c -> {
            insert(c, "outer", 1);
            NestedTransaction sp = c.beginNested();
            insert(c, "inner", 2);
            sp.rollback();
            assertThat(sp.isActive()).isFalse();
            try (NestedTransaction sp2 = c.beginNested()) {
                insert(c, "kept", 3);
                sp2.commit();
            }
        });
        List<String> names = engine.withConnection(c -> c.execute("SELECT name FROM " + table + " ORDER BY n")
                .scalars(String.class));
        assertThat(names).containsExactly("outer", "kept");
    }

    @Test
    void rollbackInsideANestedTransactionEndsTheWholeOne() {
        engine.useConnection(c -> {
            insert(c, "outer", 1);
            NestedTransaction sp = c.beginNested();
            insert(c, "inner", 2);
            c.rollback();
            assertThat(sp.isActive()).isFalse();
            assertThatThrownBy(sp::rollback).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer active");
            c.commit();
        });
        assertThat(count()).isZero();
    }

    @Test
    void executeManyRunsABatch() {
        List<Map<String, ?>> rows = IntStream.range(0, 250)
                .mapToObj(i -> Map.of("name", "u" + i, "n", i)).collect(Collectors.toList());
        int[] counts = engine.inTransaction(c ->
                c.executeMany("INSERT INTO " + table + " (name, n) VALUES (:name, :n)", rows));
        assertThat(counts).hasSize(250);
        assertThat(count()).isEqualTo(250);
        long sum = engine.withConnection(c -> c.execute("SELECT sum(n) FROM " + table).scalar(Long.class));
        assertThat(sum).isEqualTo(IntStream.range(0, 250).sum());
    }

    @Test
    void insertReturnsGeneratedKeys() {
        engine.useTransaction(c -> {
            Result first = c.execute("INSERT INTO " + table + " (name, n) VALUES (:name, :n)",
                    Map.of("name", "ann", "n", 1));
            Result second = c.execute("INSERT INTO " + table + " (name, n) VALUES (:name, :n)",
                    Map.of("name", "bob", "n", 2));
            assertThat(first.rowCount()).isEqualTo(1);
            long a = first.generatedKeys().scalar(Long.class);
            long b = second.generatedKeys().scalar(Long.class);
            assertThat(b).isGreaterThan(a);
            assertThat(c.execute("SELECT name FROM " + table + " WHERE id = :id", Map.of("id", b))
                    .scalar(String.class)).isEqualTo("bob");
        });
    }

    @Test
    void streamingReadsEveryRowWithAFetchSize() throws SQLException {
        List<Map<String, ?>> rows = IntStream.range(0, 1000)
                .mapToObj(i -> Map.of("name", "u" + i, "n", i)).collect(Collectors.toList());
        engine.useTransaction(c -> c.executeMany("INSERT INTO " + table + " (name, n) VALUES (:name, :n)", rows));
        try (Connection c = engine.connect()) {
            c.fetchSize(50);
            Result result = c.execute("SELECT n FROM " + table + " ORDER BY n");
            // The driver's statement gets the fetch size (PostgreSQL's test also sees the server-side cursor it opens).
            assertThat(result.statementFetchSize()).as("fetch size the driver's statement was given").isEqualTo(50);
            try (Stream<Row> s = result.stream()) {
                assertThat(s.mapToLong(r -> r.get(0, Long.class)).sum()).isEqualTo(499_500L);
            }
            try (Stream<Row> s = c.execute("SELECT n FROM " + table + " ORDER BY n").stream()) {
                assertThat(s.limit(3).map(r -> r.get(0, Integer.class))).containsExactly(0, 1, 2);
            }
            assertThat(c.execute("SELECT count(*) FROM " + table).scalar(Long.class)).isEqualTo(1000L);
        }
    }

    @Test
    void aFailedStatementKeepsSqlStateAndSql() {
        engine.useConnection(c -> {
            assertThatThrownBy(() -> c.execute("SELECT * FROM no_such_table_xyz WHERE id = :id", Map.of("id", 42)))
                    .isInstanceOfSatisfying(StatementException.class, e -> {
                        assertThat(e).isNotInstanceOf(DisconnectionException.class);
                        assertThat(e.sqlState()).isNotBlank().startsWith("42");
                        assertThat(e.sql()).contains("no_such_table_xyz");
                        assertThat(e.bindNames()).containsExactly("id");
                        assertThat(e.getMessage()).contains("[" + engine.name() + "]").contains("id=42");
                        assertThat(e.getCause()).isInstanceOf(SQLException.class);
                    });
        });
    }

    @Test
    void hiddenParametersNeverAppearInErrors() {
        Engine hidden = Engine.builder(database().availableUrl()).hideParameters(true).build();
        try {
            hidden.useConnection(c -> assertThatThrownBy(() -> c.execute(
                    "SELECT * FROM no_such_table_xyz WHERE name = :name", Map.of("name", "Sekr1tValue")))
                    .isInstanceOf(StatementException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sekr1tValue").contains("hidden")));
        } finally {
            hidden.close();
        }
    }

    @Test
    void missingAndExtraParametersAreClearErrors() {
        engine.useConnection(c -> {
            assertThatThrownBy(() -> c.execute("SELECT * FROM " + table + " WHERE n = :n AND name = :name",
                    Map.of("n", 1))).isInstanceOf(StatementException.class).hasMessageContaining(":name");
            assertThatThrownBy(() -> c.execute("SELECT * FROM " + table + " WHERE n = :n",
                    Map.of("n", 1, "nn", 2))).isInstanceOf(StatementException.class).hasMessageContaining(":nn");
        });
    }

    @Test
    void valuesAreBoundNotSpliced() {
        String hostile = "x'); DROP TABLE " + table + "; -- :n ::int $$";
        engine.useTransaction(c -> insert(c, hostile, 1));
        String stored = engine.withConnection(c -> c.execute("SELECT name FROM " + table).scalar(String.class));
        assertThat(stored).isEqualTo(hostile);
    }

    @Test
    void usingAClosedConnectionIsAClearError() {
        Connection c = engine.connect();
        c.close();
        c.close();
        assertThatThrownBy(() -> c.execute("SELECT 1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void invalidateDiscardsTheConnection() {
        List<String> events = new ArrayList<>();
        engine.addListener(new PoolListener() {
            @Override
            public void onInvalidate(java.sql.Connection pooled, Throwable cause) {
                events.add("invalidate");
            }

            @Override
            public void onCheckin(java.sql.Connection pooled) {
                events.add("checkin");
            }
        });
        Connection c = engine.connect();
        c.execute("SELECT 1").scalar();
        c.invalidate();
        assertThat(c.isInvalidated()).isTrue();
        assertThat(events).containsExactly("invalidate");
        assertThatThrownBy(() -> c.execute("SELECT 1")).hasMessageContaining("invalidated");
        assertThat(engine.status().checkedOut()).isZero();
        int one = engine.withConnection(x -> x.execute("SELECT 1").scalar(Integer.class));
        assertThat(one).isEqualTo(1);
    }

    @Test
    void eventsFireOnConnectCheckoutCheckinAndClose() {
        engine.dispose(); // closes what earlier steps left idle: the first checkout below connects
        EventLog log = new EventLog();
        engine.addListener(log);
        List<String> events = log.events();
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
        engine.dispose();
        // Core's queue pool opens on demand, keeps the connection for the next checkout, and dispose closes it.
        assertThat(events).containsExactly("connect", "checkout", "checkin", "checkout", "checkin", "close");
    }

    @Test
    void dataSourceViewChecksOutAndReturns() throws SQLException {
        try (java.sql.Connection jdbc = engine.dataSource().getConnection()) {
            assertThat(engine.status().checkedOut()).isEqualTo(1);
            try (var st = jdbc.createStatement(); var rs = st.executeQuery("SELECT 41 + 1")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void isolationLevelAppliesToEveryConnection() throws SQLException {
        Engine serializable = Engine.builder(database().availableUrl()).isolationLevel(IsolationLevel.SERIALIZABLE).build();
        List<Connection> held = new ArrayList<>();
        try {
            // Three held at once are three physical connections: the level is set on each one opened, not once.
            for (int i = 0; i < 3; i++) {
                held.add(serializable.connect());
            }
            assertThat(held.stream().map(c -> c.jdbc()).distinct()).as("physical connections held").hasSize(3);
            for (Connection c : held) {
                assertThat(c.jdbc().getTransactionIsolation()).as("isolation of %s", c)
                        .isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
                assertThat(c.jdbc().getAutoCommit()).isFalse();
            }
            held.forEach(Connection::close);
            held.clear();
            // And on each again when it is reused from the pool.
            for (int i = 0; i < 3; i++) {
                held.add(serializable.connect());
            }
            for (Connection c : held) {
                assertThat(c.jdbc().getTransactionIsolation()).as("isolation of reused %s", c)
                        .isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
            }
        } finally {
            held.forEach(Connection::close);
            serializable.close();
        }
    }

    @Test
    void aClosedEngineRefusesWork() {
        Engine closing = Engine.builder(database().availableUrl()).build();
        closing.close();
        assertThat(closing.isClosed()).isTrue();
        assertThatThrownBy(closing::connect).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void disposeKeepsTheEngineUsable() {
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
        engine.dispose();
        int one = engine.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
        assertThat(one).isEqualTo(1);
    }
}
