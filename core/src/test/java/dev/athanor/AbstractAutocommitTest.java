package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IsolationLevel#AUTOCOMMIT} for a whole engine, one checkout and one session transaction, written once and run
 * on every database by a thin subclass: statements commit as they run, commit and rollback do nothing, and the pool
 * gets its connections back in the engine's mode.
 */
abstract class AbstractAutocommitTest {
    private Engine engine;
    private Engine autocommit;
    private String table;

    protected abstract TestDatabase database();

    @BeforeEach
    void createTable() {
        database().assumeAvailable();
        String url = database().url(); // one database for both (each H2 url() is a new one)
        engine = Engine.builder(url).poolName("transactional").poolSize(1).maxOverflow(1).build();
        autocommit = Engine.builder(url).poolName("autocommit").poolSize(1).maxOverflow(1)
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build();
        table = TestDatabase.uniqueName("ac");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (" + database().idColumn()
                + ", name VARCHAR(100))"));
    }

    @AfterEach
    void dropTable() {
        try {
            engine.useTransaction(c -> c.execute("DROP TABLE " + table));
            assertThat(engine.status().checkedOut()).as("checked out of the transactional engine").isZero();
            assertThat(autocommit.status().checkedOut()).as("checked out of the autocommit engine").isZero();
        } finally {
            engine.close();
            autocommit.close();
        }
    }

    private void insert(Connection c, String name) {
        c.execute("INSERT INTO " + table + " (name) VALUES (:name)", Map.of("name", name));
    }

    /** Rows as another connection sees them: only what is committed. */
    private long committedRows() {
        return autocommit.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    @Test
    void anAutocommitEngineCommitsEveryStatementAsItRunsAndRollbackUndoesNothing() throws SQLException {
        try (Connection c = autocommit.connect()) {
            assertThat(c.jdbc().getAutoCommit()).isTrue();
            insert(c, "ann");
            assertThat(c.inTransaction()).isFalse();
            c.rollback();
            insert(c, "bob");
        }
        assertThat(committedRows()).isEqualTo(2);
        autocommit.useConnection(c -> assertThat(c.jdbc().getAutoCommit()).as("the pool keeps it in autocommit")
                .isTrue());
    }

    @Test
    void oneCheckoutInAutocommitCommitsAsItRunsAndTheNextBorrowerGetsTheEnginesMode() throws SQLException {
        try (Connection c = engine.connect().isolationLevel(IsolationLevel.AUTOCOMMIT)) {
            insert(c, "ann");
            assertThat(committedRows()).as("seen before any commit").isEqualTo(1);
            c.rollback();
        }
        assertThat(committedRows()).isEqualTo(1);
        try (Connection c = engine.connect()) {
            assertThat(c.jdbc().getAutoCommit()).as("auto-commit put back at the return").isFalse();
            insert(c, "bob");
        }
        assertThat(committedRows()).as("the next borrower's work rolled back on return").isEqualTo(1);
    }

    @Test
    void aTransactionalLevelOnAnAutocommitEngineIsATransactionUntilTheReturn() throws SQLException {
        try (Connection c = autocommit.connect().isolationLevel(IsolationLevel.READ_COMMITTED)) {
            insert(c, "ann");
            assertThat(c.inTransaction()).isTrue();
            c.rollback();
            insert(c, "bob");
            c.commit();
            insert(c, "cy");
        }
        assertThat(committedRows()).as("bob committed; ann rolled back, cy rolled back on return").isEqualTo(1);
        autocommit.useConnection(c -> assertThat(c.jdbc().getAutoCommit()).isTrue());
    }

    @Test
    void theLevelOfACheckoutChangesOnlyBetweenTransactions() {
        try (Connection c = engine.connect()) {
            insert(c, "ann");
            assertThatThrownBy(() -> c.isolationLevel(IsolationLevel.AUTOCOMMIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[transactional] cannot change the isolation level in the middle of a"
                            + " transaction");
            c.commit();
            c.isolationLevel(IsolationLevel.AUTOCOMMIT);
            insert(c, "bob");
            c.isolationLevel(null); // back to the engine's: transactional, even after statements in autocommit
            insert(c, "cy");
        }
        assertThat(committedRows()).isEqualTo(2);
    }

    @Test
    void savepointsAreRefusedUnderAutocommit() {
        try (Connection c = autocommit.connect()) {
            assertThatThrownBy(c::beginNested)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[autocommit] cannot begin a nested transaction (SAVEPOINT) under"
                            + " AUTOCOMMIT");
        }
        SessionFactory sessions = SessionFactory.builder().bind(engine).build();
        try (Session s = sessions.openSession().isolationLevel(IsolationLevel.AUTOCOMMIT)) {
            assertThatThrownBy(s::beginNested).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("under AUTOCOMMIT");
        }
    }

    @Test
    void aSessionTransactionInAutocommitCommitsAsItRunsAndTheNextOneIsTransactional() throws SQLException {
        SessionFactory sessions = SessionFactory.builder().bind(engine).build();
        try (Session s = sessions.openSession()) {
            s.isolationLevel(IsolationLevel.AUTOCOMMIT);
            s.execute("INSERT INTO " + table + " (name) VALUES (:name)", Map.of("name", "ann"));
            assertThat(committedRows()).as("seen before the session commits").isEqualTo(1);
            s.rollback();
            assertThat(committedRows()).as("rollback undoes nothing under AUTOCOMMIT").isEqualTo(1);
            s.execute("INSERT INTO " + table + " (name) VALUES (:name)", Map.of("name", "bob"));
            assertThat(s.connection().jdbc().getAutoCommit()).as("back to the factory's default").isFalse();
            s.rollback();
        }
        assertThat(committedRows()).isEqualTo(1);
        engine.useConnection(c -> assertThat(c.jdbc().getAutoCommit()).isFalse());
    }
}
