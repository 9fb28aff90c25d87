package dev.athanor.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;
import dev.athanor.mybatis.MyBatisSession;
import dev.athanor.mybatis.MyBatisSessionFactory;
import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the code under test does through every API of Athanor happens inside the test's outer transaction, sees its
 * own writes, and is gone after the test: every test starts on empty tables, and after the class the tables are empty
 * as an ordinary connection sees them. Each test also checks that its "committed" rows are invisible outside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRollbackTest {
    final TestDatabase db = database();
    /** Every engine of the class reaches this one database. */
    final String url = Tables.url(db);
    final String items = TestDatabase.uniqueName("rb_items");
    final String notes = TestDatabase.uniqueName("rb_notes");

    @RegisterExtension
    final RollbackExtension rollback = RollbackExtension.of(url).bind("notes", url);

    abstract TestDatabase database();

    @BeforeAll
    void createTables() {
        Tables.create(db, url, items);
        Tables.create(db, url, notes);
    }

    @AfterAll
    void tablesAreEmptyAfterwards() {
        try {
            assertThat(Tables.count(url, items)).as("rows left in " + items).isZero();
            assertThat(Tables.count(url, notes)).as("rows left in " + notes).isZero();
        } finally {
            Tables.drop(url, items);
            Tables.drop(url, notes);
        }
    }

    @BeforeEach
    void everyTestStartsOnEmptyTables(Engine engine, SessionFactory sessions) {
        engine.useConnection(c -> assertThat(Tables.count(c, items)).isZero());
        assertThat(sessions.engine()).isSameAs(engine);
    }

    @Test
    void sessionCommitsAndRollbacksActInsideTheTest(SessionFactory sessions, Engine engine) {
        try (Session s = sessions.openSession()) {
            s.execute("INSERT INTO " + items + " (name) VALUES ('kept')");
            s.commit();
            s.execute("INSERT INTO " + items + " (name) VALUES ('dropped')");
            s.rollback();
        }
        engine.useConnection(c -> assertThat(names(c, items)).containsExactly("kept"));
        assertThat(Tables.count(url, items)).as("committed for the test, not for the database").isZero();
    }

    @Test
    void scopedSessionsCommitInsideTheTest(SessionFactory sessions, Engine engine) {
        ScopedSession<Session> scoped = ScopedSession.threadLocal(sessions);
        scoped.execute("INSERT INTO " + items + " (name) VALUES ('scoped')");
        scoped.commit();
        scoped.remove();
        engine.useConnection(c -> assertThat(names(c, items)).containsExactly("scoped"));
        assertThat(Tables.count(url, items)).isZero();
    }

    @Test
    void engineTransactionsCommitAndRollBackInsideTheTest(Engine engine) {
        engine.useTransaction(c -> c.execute("INSERT INTO " + items + " (name) VALUES ('committed')"));
        assertThatThrownBy(() -> engine.useTransaction(c -> {
            c.execute("INSERT INTO " + items + " (name) VALUES ('rolled back')");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        engine.useConnection(c -> assertThat(names(c, items)).containsExactly("committed"));
        assertThat(Tables.count(url, items)).isZero();
    }

    @Test
    void nestedSavepointsNestInsideTheTestTransaction(SessionFactory sessions, Engine engine) {
        sessions.useTransaction(s -> {
            s.execute("INSERT INTO " + items + " (name) VALUES ('outer')");
            SessionSavepoint undone = s.beginNested();
            s.execute("INSERT INTO " + items + " (name) VALUES ('undone')");
            undone.rollback();
            SessionSavepoint kept = s.beginNested();
            s.execute("INSERT INTO " + items + " (name) VALUES ('inner')");
            kept.commit();
        });
        engine.useConnection(c -> assertThat(names(c, items)).containsExactly("outer", "inner"));
        assertThat(Tables.count(url, items)).isZero();
    }

    @Test
    void myBatisSessionsCommitInsideTheTest(SessionFactory sessions) {
        MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions).mapper(ItemMapper.class).build();
        try (MyBatisSession s = orm.openSession()) {
            s.mapper(ItemMapper.class).insert(items, "mapped");
            s.execute("INSERT INTO " + items + " (name) VALUES ('plain')");
            s.commit();
        }
        try (MyBatisSession s = orm.openSession()) {
            s.mapper(ItemMapper.class).insert(items, "rolled back");
            s.rollback();
            assertThat(s.mapper(ItemMapper.class).count(items)).isEqualTo(2);
        }
        assertThat(Tables.count(url, items)).isZero();
    }

    @Test
    void everyBindHasItsOwnOuterTransaction(Engine engine, @Bind("notes") Engine notesEngine,
                                            SessionFactory sessions) {
        assertThat(notesEngine).isNotSameAs(engine).isSameAs(sessions.engine("notes"));
        sessions.useTransaction(s -> {
            s.execute("INSERT INTO " + items + " (name) VALUES ('item')");
            s.execute("notes", "INSERT INTO " + notes + " (name) VALUES ('note')", Map.of());
        });
        engine.useConnection(c -> assertThat(names(c, items)).containsExactly("item"));
        notesEngine.useConnection(c -> assertThat(names(c, notes)).containsExactly("note"));
        assertThat(Tables.count(url, items)).isZero();
        assertThat(Tables.count(url, notes)).isZero();
    }

    @Test
    void autoCommitIsRefused(Engine engine) {
        try (Connection c = engine.connect()) {
            assertThatThrownBy(() -> c.jdbc().setAutoCommit(true)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("setAutoCommit(true) is refused").hasMessageContaining("@Commit");
        }
    }

    static List<String> names(Connection c, String table) {
        return c.execute("SELECT name FROM " + table + " ORDER BY id").scalars(String.class);
    }
}
