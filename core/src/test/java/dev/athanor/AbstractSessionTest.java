package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SQLAlchemy's session behaviours on a real database, written once and run on every database by a thin subclass:
 * a default bind ({@code users}) and a second engine bound as {@code blogs} ({@code posts}; on H2 a second database).
 */
abstract class AbstractSessionTest {
    protected Engine engine;
    protected Engine blogsEngine;
    protected String users;
    protected String posts;
    protected SessionFactory sessions;

    protected abstract TestDatabase database();

    /**
     * The isolation level of the transaction {@code c} is in: what JDBC answers (pgjdbc asks the server's
     * {@code SHOW TRANSACTION ISOLATION LEVEL}, which is the transaction's own level).
     */
    protected int transactionIsolation(Connection c) throws SQLException {
        return c.jdbc().getTransactionIsolation();
    }

    @BeforeEach
    void createTables() {
        engine = Engine.builder(database().availableUrl()).build();
        blogsEngine = Engine.builder(database().availableUrl()).build();
        users = TestDatabase.uniqueName("users");
        posts = TestDatabase.uniqueName("posts");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + users + " (" + database().idColumn()
                + ", name VARCHAR(100))"));
        blogsEngine.useTransaction(c -> c.execute("CREATE TABLE " + posts + " (" + database().idColumn()
                + ", title VARCHAR(100))"));
        sessions = SessionFactory.builder().bind(engine).bind("blogs", blogsEngine).build();
    }

    @AfterEach
    void dropTables() {
        engine.useTransaction(c -> c.execute("DROP TABLE " + users));
        blogsEngine.useTransaction(c -> c.execute("DROP TABLE " + posts));
        engine.close();
        blogsEngine.close();
    }

    private void addUser(Session s, String name) {
        s.execute("INSERT INTO " + users + " (name) VALUES (:name)", Map.of("name", name));
    }

    private long count(Engine e, String table) {
        return e.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    private List<String> strings(Engine e, String sql) {
        return e.withConnection(c -> c.execute(sql).scalars(String.class));
    }

    @Test
    void autobeginChecksOutOnTheFirstStatementAndCommitReturnsTheConnection() {
        AtomicInteger checkouts = new AtomicInteger();
        engine.addListener(new PoolListener() {
            @Override
            public void onCheckout(java.sql.Connection pooled) {
                checkouts.incrementAndGet();
            }
        });
        try (Session s = sessions.openSession()) {
            assertThat(checkouts).hasValue(0);
            addUser(s, "ann");
            addUser(s, "bob");
            assertThat(checkouts).hasValue(1);
            assertThat(engine.status().checkedOut()).isEqualTo(1);
            s.commit();
            assertThat(engine.status().checkedOut()).isZero();
            assertThat(blogsEngine.status().checkedOut()).isZero();
        }
        assertThat(count(engine, users)).isEqualTo(2);
    }

    @Test
    void inTransactionCommitsWhenTheBlockReturnsAndRollsBackWhenItThrows() {
        long id = sessions.inTransaction(s -> {
            addUser(s, "ann");
            return s.execute("SELECT id FROM " + users + " WHERE name = ?", "ann").scalar(Long.class);
        });
        assertThat(id).isPositive();
        assertThatThrownBy(() -> sessions.useTransaction(s -> {
            addUser(s, "bob");
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(count(engine, users)).isEqualTo(1);
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void closeWithoutCommitDoesNotCommit() {
        Session s = sessions.openSession();
        addUser(s, "ann");
        s.close();
        assertThat(count(engine, users)).isZero();
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void savepointRollbackKeepsTheOuterRows() {
        try (Session s = sessions.openSession()) {
            addUser(s, "outer");
            try (SessionSavepoint sp = s.beginNested()) {
                addUser(s, "inner");
                sp.rollback();
            }
            try (SessionSavepoint sp = s.beginNested()) {
                addUser(s, "kept");
                sp.commit();
            }
            s.commit();
        }
        assertThat(strings(engine, "SELECT name FROM " + users + " ORDER BY id")).containsExactly("outer", "kept");
    }

    @Test
    void rollbackInsideANestedTransactionEndsTheWholeOne() {
        try (Session s = sessions.openSession()) {
            addUser(s, "outer");
            SessionSavepoint sp = s.beginNested();
            addUser(s, "inner");
            s.rollback();
            assertThat(sp.isActive()).isFalse();
            assertThat(s.isActive()).isFalse();
        }
        assertThat(count(engine, users)).isZero();
    }

    @Test
    void uncommittedDataIsInvisibleToAnotherSession() {
        try (Session writer = sessions.openSession(); Session reader = sessions.openSession()) {
            addUser(writer, "ann");
            assertThat(reader.execute("SELECT count(*) FROM " + users).scalar(Long.class)).isZero();
            reader.rollback();
            writer.commit();
            assertThat(reader.execute("SELECT count(*) FROM " + users).scalar(Long.class)).isEqualTo(1);
        }
    }

    @Test
    void usingAClosedSessionIsAClearError() {
        Session s = sessions.openSession();
        addUser(s, "ann");
        s.close();
        assertThatThrownBy(() -> addUser(s, "bob")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this session is closed");
        assertThat(count(engine, users)).isZero();
    }

    @Test
    void isolationLevelAppliesToOneTransactionAndCannotChangeInTheMiddle() throws SQLException {
        int engineDefault = engine.withConnection(c -> c.jdbc().getTransactionIsolation());
        try (Session s = sessions.openSession()) {
            s.isolationLevel(IsolationLevel.SERIALIZABLE);
            addUser(s, "ann");
            assertThat(transactionIsolation(s.connection())).isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
            assertThatThrownBy(() -> s.isolationLevel(IsolationLevel.READ_COMMITTED))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in the middle of a transaction");
            s.commit();
            addUser(s, "bob");
            assertThat(transactionIsolation(s.connection())).isEqualTo(engineDefault);
            s.commit();
        }
        assertThat(count(engine, users)).isEqualTo(2);
    }

    @Test
    void transactionSettingsAreRestoredBeforeTheConnectionGoesBackToThePool() throws SQLException {
        try (Engine shared = Engine.builder(database().availableUrl()).pool("static").build()) {
            int engineDefault = shared.withConnection(c -> c.jdbc().getTransactionIsolation());
            SessionFactory f = SessionFactory.builder().bind(shared).build();
            f.useTransaction(s -> {
                s.isolationLevel(IsolationLevel.SERIALIZABLE).readOnly(true);
                s.execute("SELECT 1").scalar();
            });
            shared.useConnection(c -> {
                assertThat(c.jdbc().getTransactionIsolation()).isEqualTo(engineDefault);
                assertThat(c.jdbc().isReadOnly()).isFalse();
            });
        }
    }

    @Test
    void aReadOnlyTransactionRefusesWritesAndTheNextOneDoesNot() {
        assumeTrue(database() != TestDatabase.H2, "H2 treats read-only as a hint and does not enforce it");
        try (Session s = sessions.openSession()) {
            s.readOnly(true);
            // The transaction's own READ ONLY: the refused write is the caller's mistake, not a demoted server.
            assertThatThrownBy(() -> addUser(s, "ann")).isInstanceOf(StatementException.class)
                    .isNotInstanceOf(DisconnectionException.class);
            s.rollback();
            addUser(s, "bob");
            s.commit();
        }
        assertThat(count(engine, users)).isEqualTo(1);
    }

    @Test
    void twoDatabasesCommitTogetherAndRollBackTogether() {
        sessions.useTransaction(s -> {
            addUser(s, "ann");
            s.execute("blogs", "INSERT INTO " + posts + " (title) VALUES (:t)", Map.of("t", "hello"));
        });
        try (Session s = sessions.openSession()) {
            addUser(s, "bob");
            s.execute("blogs", "INSERT INTO " + posts + " (title) VALUES (:t)", Map.of("t", "draft"));
            assertThat(engine.status().checkedOut() + blogsEngine.status().checkedOut()).isEqualTo(2);
            s.rollback();
            assertThat(engine.status().checkedOut() + blogsEngine.status().checkedOut()).isZero();
        }
        assertThat(count(engine, users)).isEqualTo(1);
        assertThat(count(blogsEngine, posts)).isEqualTo(1);
    }

    @Test
    void aNestedTransactionCoversABindFirstUsedInsideIt() {
        try (Session s = sessions.openSession()) {
            addUser(s, "ann");
            try (SessionSavepoint sp = s.beginNested()) {
                s.execute("blogs", "INSERT INTO " + posts + " (title) VALUES (:t)", Map.of("t", "undone"));
                sp.rollback();
            }
            s.execute("blogs", "INSERT INTO " + posts + " (title) VALUES (:t)", Map.of("t", "kept"));
            s.commit();
        }
        assertThat(count(engine, users)).isEqualTo(1);
        assertThat(strings(blogsEngine, "SELECT title FROM " + posts)).containsExactly("kept");
    }
}
