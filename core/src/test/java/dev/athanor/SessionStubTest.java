package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.LogCapture;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Session behaviour that needs counters or injected failures: over the stub driver, two databases. */
class SessionStubTest {
    private StubDatabase main;
    private StubDatabase blogs;
    private Engine mainEngine;
    private Engine blogsEngine;
    private SessionFactory sessions;

    @BeforeEach
    void setUp() {
        main = StubDatabase.fresh();
        blogs = StubDatabase.fresh();
        // NullPool closes what is returned, so the stub's open-connection count shows every return.
        mainEngine = Engine.builder(main.url()).poolName("main").pool("null").build();
        blogsEngine = Engine.builder(blogs.url()).poolName("blogs").pool("null").build();
        sessions = SessionFactory.builder().bind(mainEngine).bind("blogs", blogsEngine).build();
    }

    @AfterEach
    void tearDown() {
        mainEngine.close();
        blogsEngine.close();
    }

    @Nested
    class Connections {
        @Test
        void aSessionChecksOutNothingUntilItsFirstStatement() {
            try (Session s = sessions.openSession()) {
                assertThat(main.opened()).isZero();
                assertThat(s.isActive()).isFalse();
                s.execute("UPDATE t SET n = 1");
                assertThat(main.opened()).isEqualTo(1);
                assertThat(blogs.opened()).isZero();
                assertThat(s.isActive()).isTrue();
            }
        }

        @Test
        void commitEndsTheTransactionAndReturnsEveryConnection() {
            try (Session s = sessions.openSession()) {
                s.execute("UPDATE t SET n = 1");
                s.execute("blogs", "UPDATE posts SET n = 1", Map.of());
                s.commit();
                assertThat(s.isActive()).isFalse();
                assertThat(main.commits()).isEqualTo(1);
                assertThat(blogs.commits()).isEqualTo(1);
                assertThat(main.openNow() + blogs.openNow()).isZero();
                s.execute("UPDATE t SET n = 2");
                assertThat(main.opened()).as("the next statement begins a new transaction").isEqualTo(2);
            }
            assertThat(main.rollbacks()).as("close rolls back the second transaction").isEqualTo(1);
        }

        @Test
        void theSameBindKeepsOneConnectionPerTransaction() {
            try (Session s = sessions.openSession()) {
                Connection first = s.connection();
                s.execute("UPDATE t SET n = 1");
                assertThat(s.connection()).isSameAs(first);
                assertThat(main.opened()).isEqualTo(1);
            }
        }

        @Test
        void unknownAndMissingBindsAreClearErrors() {
            try (Session s = sessions.openSession()) {
                assertThatThrownBy(() -> s.execute("nope", "SELECT 1", Map.of()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no bind named 'nope'")
                        .hasMessageContaining("[default, blogs]");
                assertThatThrownBy(() -> s.execute("UPDATE t SET a = ?, b = ?", "x", null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("pass them as an array: execute(sql, new Object[] {...})");
                assertThat(main.opened()).isZero();
            }
            SessionFactory namedOnly = SessionFactory.builder().bind("blogs", blogsEngine).build();
            try (Session s = namedOnly.openSession()) {
                assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("there is no default bind");
            }
        }

        @Test
        void aLostConnectionMustBeRolledBackBeforeTheSessionGoesOn() {
            try (Session s = sessions.openSession()) {
                s.execute("UPDATE t SET n = 1");
                main.failNextStatement("08006");
                assertThatThrownBy(() -> s.execute("UPDATE t SET n = 2")).isInstanceOf(DisconnectionException.class);
                assertThatThrownBy(() -> s.execute("UPDATE t SET n = 3")).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("bind 'default' was lost (invalidated)")
                        .hasMessageContaining("roll back");
                assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class);
                assertThat(main.commits()).isZero();
                s.rollback();
                s.execute("UPDATE t SET n = 4");
                s.commit();
                assertThat(main.commits()).isEqualTo(1);
            }
        }
    }

    @Nested
    class SeveralBinds {
        @Test
        void aCommitFailingAfterAnEarlierBindCommittedSaysWhichBindsCommitted() {
            StubDatabase audit = StubDatabase.fresh();
            try (Engine auditEngine = Engine.builder(audit.url()).pool("null").build()) {
                SessionFactory three = sessions.toBuilder().bind("audit", auditEngine).build();
                Session s = three.openSession();
                s.execute("audit", "INSERT INTO a VALUES (1)", Map.of());
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                s.execute("INSERT INTO u VALUES (1)");
                blogs.failNextCommit("40001"); // certainly not committed (a lost connection would be in doubt)
                assertThatThrownBy(s::commit).isInstanceOfSatisfying(PartialCommitException.class, e -> {
                    assertThat(e.committed()).containsExactly("default");
                    assertThat(e.failed()).isEqualTo("blogs");
                    assertThat(e.rolledBack()).containsExactly("audit");
                    assertThat(e).hasMessageContaining("commit failed on bind 'blogs' after bind(s) [default] had"
                            + " committed; bind(s) [audit] were rolled back")
                            .hasCauseInstanceOf(StatementException.class);
                });
                assertThat(main.commits()).isEqualTo(1);
                assertThat(blogs.commits()).isZero();
                assertThat(audit.commits()).isZero();
                assertThat(audit.rollbacks()).isEqualTo(1);
                assertThat(main.openNow() + blogs.openNow() + audit.openNow()).isZero();
                assertThat(s.isActive()).isFalse();
                s.close();
            }
        }

        @Test
        void bindsCommitInBindOrderNotInTheOrderTheyWereUsed() {
            try (Session s = sessions.openSession()) {
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                s.execute("INSERT INTO u VALUES (1)");
                main.failNextCommit("40001");
                assertThatThrownBy(s::commit).as("the first bind failed: nothing committed, so no partial commit")
                        .isInstanceOf(StatementException.class).isNotInstanceOf(PartialCommitException.class);
                assertThat(blogs.commits()).isZero();
                assertThat(blogs.rollbacks()).isEqualTo(1);
            }
        }

        @Test
        void rollbackEndsTheTransactionOnEveryBind() {
            try (Session s = sessions.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                s.rollback();
                assertThat(main.rollbacks() + blogs.rollbacks()).isEqualTo(2);
                assertThat(main.openNow() + blogs.openNow()).isZero();
            }
        }
    }

    @Nested
    class TransactionBlocks {
        @Test
        void inTransactionCommitsAndReturnsTheResult() {
            long n = sessions.inTransaction(s -> s.execute("SELECT ?", 42L).scalar(Long.class));
            assertThat(n).isEqualTo(42L);
            assertThat(main.commits()).isEqualTo(1);
            assertThat(main.openNow()).isZero();
        }

        @Test
        void inTransactionRollsBackAndRethrowsTheOriginalWithTheRollbackFailureSuppressed() {
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> sessions.useTransaction(s -> {
                s.execute("UPDATE t SET n = 1");
                main.killAll();
                throw boom;
            })).isSameAs(boom);
            assertThat(boom.getSuppressed()).singleElement().isInstanceOf(DisconnectionException.class);
            assertThat(main.commits()).isZero();
            assertThat(main.openNow()).isZero();
        }

        @Test
        void checkedExceptionsPassThroughUnchanged() {
            assertThatThrownBy(() -> sessions.useTransaction(s -> {
                s.execute("UPDATE t SET n = 1");
                throw new IOException("disk");
            })).isInstanceOf(IOException.class).hasMessage("disk");
            assertThat(main.rollbacks()).isEqualTo(1);
        }

        @Test
        void closeWithoutCommitRollsBackAndIsIdempotent() {
            Session s = sessions.openSession();
            s.execute("UPDATE t SET n = 1");
            s.close();
            s.close();
            assertThat(main.rollbacks()).isEqualTo(1);
            assertThat(main.commits()).isZero();
            assertThat(s.isClosed()).isTrue();
        }

        @Test
        void closeLogsInsteadOfThrowingWhenTheRollbackFails() {
            try (LogCapture log = LogCapture.of("dev.athanor.session")) {
                Session s = sessions.openSession();
                s.execute("UPDATE t SET n = 1");
                main.killAll();
                s.close();
                assertThat(log.warnings()).anyMatch(m -> m.contains("rolling back while closing the session failed"));
                assertThat(main.openNow()).isZero();
            }
        }

        @Test
        void usingAClosedSessionIsAClearError() {
            Session s = sessions.openSession();
            s.close();
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("[main] this session is closed; open a new one with openSession() (a closed session"
                            + " cannot be reused)");
            assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(s::rollback).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(s::beginNested).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.connection("blogs")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class TransactionOptions {
        @Test
        void isolationAndReadOnlyAreSetForTheTransactionAndRestoredBeforeTheConnectionGoesBack() throws SQLException {
            try (Engine shared = Engine.builder(main.url()).pool("static").build()) {
                SessionFactory f = SessionFactory.builder().bind(shared).build();
                try (Session s = f.openSession()) {
                    s.isolationLevel(IsolationLevel.SERIALIZABLE).readOnly(true);
                    s.execute("SELECT 1");
                    StubConnection c = main.openConnections().get(0);
                    assertThat(c.getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_SERIALIZABLE);
                    assertThat(c.isReadOnly()).isTrue();
                    s.commit();
                    assertThat(c.getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_READ_COMMITTED);
                    assertThat(c.isReadOnly()).isFalse();

                    s.execute("SELECT 1");
                    assertThat(c.getTransactionIsolation()).as("options last one transaction")
                            .isEqualTo(java.sql.Connection.TRANSACTION_READ_COMMITTED);
                }
            }
        }

        @Test
        void changingOptionsInTheMiddleOfATransactionIsAnError() {
            try (Session s = sessions.openSession()) {
                s.execute("SELECT 1");
                assertThatThrownBy(() -> s.isolationLevel(IsolationLevel.SERIALIZABLE))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cannot change the isolation level in the middle of a transaction");
                assertThatThrownBy(() -> s.readOnly(true)).isInstanceOf(IllegalStateException.class);
                s.rollback();
                s.isolationLevel(IsolationLevel.SERIALIZABLE);
            }
        }

        @Test
        void factoryDefaultsApplyToEveryTransactionOnEveryBind() throws SQLException {
            SessionFactory f = sessions.toBuilder().isolationLevel(IsolationLevel.REPEATABLE_READ).readOnly(true)
                    .build();
            try (Session s = f.openSession()) {
                for (int i = 0; i < 2; i++) {
                    s.execute("SELECT 1");
                    s.execute("blogs", "SELECT 1", Map.of());
                    for (StubDatabase db : List.of(main, blogs)) {
                        StubConnection c = db.openConnections().get(0);
                        assertThat(c.getTransactionIsolation())
                                .isEqualTo(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
                        assertThat(c.isReadOnly()).isTrue();
                    }
                    s.commit();
                }
            }
        }
    }
}
