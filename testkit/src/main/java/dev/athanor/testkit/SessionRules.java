package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Dialect;
import dev.athanor.Engine;
import dev.athanor.IsolationLevel;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code Session} and {@code SessionFactory} over the backend: autobegin, commit and rollback return the connection
 * to the pool, savepoints, isolation between sessions, per-transaction isolation levels, closed sessions and two binds
 * committing together. Runs on the real databases.
 */
abstract class SessionRules extends SessionRuleGroup {
    private Engine engine;
    private String users;
    private SessionFactory sessions;

    SessionRules(SessionContract contract, Target target) {
        super(contract, target);
    }

    @BeforeEach
    void createUsers() {
        engine = engine();
        users = table(engine, "kit_users");
        sessions = SessionFactory.builder().bind(engine).build();
    }

    private void addUser(Session s, String name) {
        s.execute("INSERT INTO " + users + " (name) VALUES (:name)", Map.of("name", name));
    }

    /**
     * A session holds no connection until its first statement, then exactly one for the bind, and commit gives it
     * back. If this fails, check that status().checkedOut() falls when the engine returns a connection (checkin() hands
     * it back to the native pool at once).
     */
    @Test
    @DisplayName("SESS-1: autobegin checks out one connection at the first statement and commit returns it")
    @ContractRule(id = "SESS-1", check = "that keep() makes a connection available to the next take() at once")
    void autobeginAndCommitReturn() {
        Counts counts = counts(engine);
        int before = counts.checkouts.get();
        try (Session s = sessions.openSession()) {
            assertThat(counts.checkouts.get() - before).as("checkouts after openSession(), before any statement")
                    .isZero();
            assertThat(s.isActive()).as("session in a transaction before any statement").isFalse();
            addUser(s, "ann");
            addUser(s, "bob");
            assertThat(counts.checkouts.get() - before).as("checkouts after two statements on one bind").isEqualTo(1);
            assertThat(engine.status().checkedOut()).as("connections borrowed in the transaction (%s)",
                    engine.status()).isEqualTo(1);
            s.commit();
            assertThat(engine.status().checkedOut()).as("connections borrowed after commit (%s)", engine.status())
                    .isZero();
        }
        assertThat(count(engine, users)).as("rows committed").isEqualTo(2);
    }

    /**
     * {@code inTransaction} commits when the block returns. If this fails, check that the connections the backend
     * hands out have auto-commit off and that the backend does not roll back on checkin on its own.
     */
    @Test
    @DisplayName("SESS-2: inTransaction commits when the block returns")
    @ContractRule(id = "SESS-2", check = "that the native pool leaves auto-commit off as ConnectionSource set it and"
            + " does not roll back on return on its own")
    void inTransactionCommits() {
        long id = sessions.inTransaction(s -> {
            addUser(s, "ann");
            return s.execute("SELECT id FROM " + users + " WHERE name = ?", "ann").scalar(Long.class);
        });
        assertThat(id).as("generated id seen inside the transaction").isPositive();
        assertThat(names(engine, users)).as("rows committed").containsExactly("ann");
        assertThat(engine.status().checkedOut()).as("connections borrowed afterwards").isZero();
    }

    /**
     * {@code inTransaction} rolls back when the block throws, rethrows the very exception, and returns the
     * connection. If this fails, check that the backend does not commit on return (c3p0 autoCommitOnClose).
     */
    @Test
    @DisplayName("SESS-3: inTransaction rolls back, rethrows the original exception and returns the connection")
    @ContractRule(id = "SESS-3", check = "that the native pool does not commit on return (c3p0 autoCommitOnClose)")
    void inTransactionRollsBackOnThrow() {
        IllegalStateException original = new IllegalStateException("kit: the block failed");
        Throwable thrown = catchThrowable(() -> sessions.useTransaction(s -> {
            addUser(s, "bob");
            throw original;
        }));
        assertThat(thrown).as("what useTransaction threw").isSameAs(original);
        assertThat(count(engine, users)).as("rows committed after the block threw").isZero();
        assertThat(engine.status().checkedOut()).as("connections borrowed afterwards").isZero();
    }

    /**
     * Closing a session without commit rolls its work back. If this fails, check that the backend does not commit on
     * return (c3p0 autoCommitOnClose) and hands out connections with auto-commit off.
     */
    @Test
    @DisplayName("SESS-4: close() without commit does not commit")
    @ContractRule(id = "SESS-4", check = "that the native pool does not commit on return (c3p0 autoCommitOnClose) and"
            + " leaves auto-commit off")
    void closeWithoutCommit() {
        Session s = sessions.openSession();
        addUser(s, "ann");
        s.close();
        assertThat(count(engine, users)).as("rows committed after close() without commit").isZero();
        assertThat(engine.status().checkedOut()).as("connections borrowed after close()").isZero();
    }

    /**
     * Rolling back to a savepoint keeps what the outer transaction did. If this fails, check that the connections
     * the backend hands out support savepoints (no proxy swallowing setSavepoint/rollback(Savepoint)).
     */
    @Test
    @DisplayName("SESS-5: rolling back a savepoint keeps the outer transaction's rows")
    @ContractRule(id = "SESS-5", check = "that the native pool neither rolls back, commits nor releases savepoints on"
            + " its own (on return, borrow or validation)")
    void savepointRollbackKeepsOuterRows() {
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
        assertThat(names(engine, users)).as("rows committed").containsExactly("outer", "kept");
    }

    /**
     * {@code rollback()} inside a nested transaction ends the whole transaction. If this fails, check that the
     * backend's connection proxy passes rollback() through to the driver.
     */
    @Test
    @DisplayName("SESS-6: rollback() inside a nested transaction ends the whole transaction")
    @ContractRule(id = "SESS-6", check = "that the native pool neither rolls back nor commits on its own (on return,"
            + " borrow or validation)")
    void rollbackInsideNestedEndsAll() {
        try (Session s = sessions.openSession()) {
            addUser(s, "outer");
            SessionSavepoint sp = s.beginNested();
            addUser(s, "inner");
            s.rollback();
            assertThat(sp.isActive()).as("savepoint active after the session's rollback()").isFalse();
            assertThat(s.isActive()).as("session in a transaction after rollback()").isFalse();
            assertThat(engine.status().checkedOut()).as("connections borrowed after rollback()").isZero();
        }
        assertThat(count(engine, users)).as("rows committed").isZero();
    }

    /**
     * One session's uncommitted rows are invisible to another session, and visible once committed. If this fails,
     * check that two concurrent sessions get two different physical connections, each with auto-commit off.
     */
    @Test
    @DisplayName("SESS-7: uncommitted data is invisible to another session until commit")
    @ContractRule(id = "SESS-7", check = "that take() never hands out a connection that is lent already, and that"
            + " auto-commit stays off")
    void uncommittedInvisible() {
        try (Session writer = sessions.openSession(); Session reader = sessions.openSession()) {
            addUser(writer, "ann");
            assertThat(reader.execute("SELECT COUNT(*) FROM " + users).scalar(Long.class))
                    .as("rows another session sees before commit").isZero();
            assertThat(reader.connection().jdbc()).as("the reader's connection")
                    .isNotSameAs(writer.connection().jdbc());
            reader.rollback();
            writer.commit();
            assertThat(reader.execute("SELECT COUNT(*) FROM " + users).scalar(Long.class))
                    .as("rows another session sees after commit").isEqualTo(1);
        }
    }

    /**
     * A session's per-transaction isolation level applies to its transaction, and the pooled connection goes back
     * with the engine's level, so the next borrower of the same connection (a pool of one) gets that (on PostgreSQL,
     * MySQL and MariaDB the level is a statement of the transaction, so there is nothing to put back). If this fails,
     * check that checkin() restores the isolation level the connection was opened with.
     */
    @Test
    @DisplayName("SESS-8: a per-transaction isolation level applies, and the next borrower gets the engine's level")
    @ContractRule(id = "SESS-8", check = "that the native pool sets and caches no isolation level of its own (DBCP"
            + " defaultTransactionIsolation, HikariCP transactionIsolation)")
    void isolationAppliedAndRestored() throws SQLException {
        Engine one = engine(otherUrl(), this::oneConnection);
        SessionFactory f = SessionFactory.builder().bind(one).build();
        int engineLevel = one.withConnection(c -> c.jdbc().getTransactionIsolation());
        IsolationLevel other = engineLevel == java.sql.Connection.TRANSACTION_SERIALIZABLE
                ? IsolationLevel.READ_COMMITTED : IsolationLevel.SERIALIZABLE;
        String probe = table(one, "kit_iso"); // InnoDB lists a transaction once it reads a table
        f.useTransaction(s -> {
            s.isolationLevel(other);
            s.execute("SELECT COUNT(*) FROM " + probe).scalar();
            assertThat(transactionIsolation(s.connection())).as("isolation level inside the transaction")
                    .isEqualTo(other.jdbcLevel());
        });
        int nextBorrower = one.withConnection(c -> c.jdbc().getTransactionIsolation());
        assertThat(nextBorrower).as("isolation level of the next borrower (the engine's is %d)", engineLevel)
                .isEqualTo(engineLevel);
        try (Session s = f.openSession()) {
            s.execute("SELECT 1").scalar();
            assertThat(s.connection().jdbc().getTransactionIsolation())
                    .as("isolation level of the session's next transaction").isEqualTo(engineLevel);
        }
    }

    /**
     * The isolation level of the transaction {@code c} is in. MySQL's and MariaDB's drivers answer with the session's
     * level ({@code @@tx_isolation}), which the transaction's own {@code SET TRANSACTION} does not change: there it
     * is InnoDB's record of the transaction, from a cache the server refreshes only when not read for 0.1 s.
     */
    private static int transactionIsolation(dev.athanor.Connection c) throws SQLException {
        Dialect d = c.engine().dialect();
        if (d != Dialect.MARIADB && d != Dialect.MYSQL) {
            return c.jdbc().getTransactionIsolation();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Object level = c.execute("SELECT trx_isolation_level FROM information_schema.innodb_trx"
                    + " WHERE trx_mysql_thread_id = CONNECTION_ID()").scalar();
            if (level != null) {
                return IsolationLevel.valueOf(level.toString().replace(' ', '_')).jdbcLevel();
            }
            assertThat(System.nanoTime()).as("InnoDB lists the transaction within 5 s").isLessThan(deadline);
            try {
                Thread.sleep(150); // the cache refreshes only when not read for 0.1 s: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A closed session refuses work with an {@code IllegalStateException} and writes nothing. If this fails, check
     * that close() gave the connection back (status().checkedOut() is 0 after it).
     */
    @Test
    @DisplayName("SESS-9: a closed session refuses work with IllegalStateException")
    @ContractRule(id = "SESS-9", check = "that keep() keeps the connection the engine rolled back, and discard()"
            + " closes one it does not keep")
    void closedSessionRefusesWork() {
        Session s = sessions.openSession();
        addUser(s, "ann");
        s.close();
        assertThat(s.isClosed()).as("isClosed() after close()").isTrue();
        assertThatThrownBy(() -> addUser(s, "bob")).as("a statement on a closed session")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::connection).as("connection() on a closed session")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::beginNested).as("beginNested() on a closed session")
                .isInstanceOf(IllegalStateException.class);
        assertThat(engine.status().checkedOut()).as("connections borrowed").isZero();
        assertThat(count(engine, users)).as("rows committed").isZero();
    }

    /**
     * Two binds (two engines of the backend) commit together and roll back together. If this fails, check that two
     * engines on the backend keep separate pools and that checkin() returns each connection to its own pool.
     */
    @Test
    @DisplayName("SESS-10: two binds commit together and roll back together")
    @ContractRule(id = "SESS-10", check = "that two engines of the backend keep separate stores (no static state"
            + " shared between backends)")
    void twoBindsTogether() {
        Engine blogs = engine(otherUrl(), b -> b);
        String posts = table(blogs, "kit_posts");
        SessionFactory f = SessionFactory.builder().bind(engine).bind("blogs", blogs).build();
        f.useTransaction(s -> {
            addUser(s, "ann");
            s.execute("blogs", "INSERT INTO " + posts + " (name) VALUES (:t)", Map.of("t", "hello"));
        });
        try (Session s = f.openSession()) {
            addUser(s, "bob");
            s.execute("blogs", "INSERT INTO " + posts + " (name) VALUES (:t)", Map.of("t", "draft"));
            assertThat(engine.status().checkedOut()).as("default bind's connections in the transaction").isEqualTo(1);
            assertThat(blogs.status().checkedOut()).as("second bind's connections in the transaction").isEqualTo(1);
            s.rollback();
            assertThat(engine.status().checkedOut() + blogs.status().checkedOut())
                    .as("connections borrowed after rollback").isZero();
        }
        assertThat(names(engine, users)).as("default bind's committed rows").containsExactly("ann");
        assertThat(names(blogs, posts)).as("second bind's committed rows").containsExactly("hello");
    }
}
