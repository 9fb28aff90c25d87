package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A COMMIT cut off by a lost connection (the stub commits, then loses the reply): the caller is told the outcome is in
 * doubt, a {@link RetryPolicy} never reruns the unit, and with several binds the {@link PartialCommitException} names
 * the bind in doubt.
 */
class CommitInDoubtTest {
    /** Retries every disconnect: the policy a user writes to "survive restarts". */
    private static final RetryPolicy RETRY_DISCONNECTS = RetryPolicy.on(t -> t instanceof DisconnectionException)
            .maxAttempts(3).backoff(Duration.ZERO, Duration.ofMillis(1));

    private StubDatabase main;
    private StubDatabase blogs;
    private Engine mainEngine;
    private Engine blogsEngine;
    private SessionFactory sessions;
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void setUp() {
        main = StubDatabase.fresh();
        blogs = StubDatabase.fresh();
        mainEngine = Engine.builder(main.url()).poolName("main").build();
        blogsEngine = Engine.builder(blogs.url()).poolName("blogs").build();
        sessions = SessionFactory.builder().bind(mainEngine).bind("blogs", blogsEngine).build();
    }

    @AfterEach
    void tearDown() {
        mainEngine.close();
        blogsEngine.close();
    }

    private void assertNothingCheckedOut() {
        assertThat(mainEngine.status().checkedOut()).as("main checked out").isZero();
        assertThat(blogsEngine.status().checkedOut()).as("blogs checked out").isZero();
    }

    @Test
    void anEngineBlockWhoseCommitIsCutOffSaysTheCommitIsInDoubt() {
        main.loseNextCommitReplies(1);
        assertThatThrownBy(() -> mainEngine.useTransaction(c -> c.execute("INSERT INTO t VALUES (1)")))
                .isInstanceOfSatisfying(CommitInDoubtException.class, e -> {
                    assertThat(e).as("existing catch blocks still see a disconnect")
                            .isInstanceOf(DisconnectionException.class);
                    assertThat(e.sql()).isEqualTo("COMMIT");
                    assertThat(e.sqlState()).isEqualTo("08006");
                    assertThat(e).hasMessageStartingWith("[main] commit in doubt: the connection was lost during"
                            + " COMMIT, so the transaction may or may not have committed")
                            .hasMessageContaining("stub: connection lost after COMMIT was sent");
                });
        assertThat(main.commits()).as("the server did commit").isEqualTo(1);
        assertThat(main.openNow()).as("the lost connection is discarded").isZero();
        assertNothingCheckedOut();
    }

    @Test
    void aCommitThatCertainlyFailedIsNotInDoubt() {
        try (Connection c = mainEngine.connect()) {
            c.execute("INSERT INTO t VALUES (1)");
            main.failNextCommit("40001");
            long rollbacks = main.rollbacks();
            assertThatThrownBy(c::commit).isInstanceOf(StatementException.class)
                    .isNotInstanceOf(DisconnectionException.class);
            assertThat(main.rollbacks()).as("a ROLLBACK follows the refused COMMIT, whatever the server kept open")
                    .isEqualTo(rollbacks + 1);
            c.execute("INSERT INTO t VALUES (2)");
            c.commit();
        }
        assertThat(main.commits()).isEqualTo(1);
        assertNothingCheckedOut();
    }

    @Test
    void aSessionWithOneBindWhoseCommitIsCutOffThrowsCommitInDoubt() {
        Session s = sessions.openSession();
        s.execute("INSERT INTO t VALUES (1)");
        main.loseNextCommitReplies(1);
        assertThatThrownBy(s::commit).isInstanceOf(CommitInDoubtException.class)
                .hasMessageContaining("may or may not have committed");
        assertThat(s.isActive()).isFalse();
        s.close();
        assertThat(main.commits()).isEqualTo(1);
        assertNothingCheckedOut();
    }

    @Test
    void aRetryPolicyThatRetriesEveryDisconnectNeverRerunsAUnitWhoseCommitWasCutOff() {
        main.loseNextCommitReplies(1);
        assertThatThrownBy(() -> sessions.useTransaction(RETRY_DISCONNECTS, s -> {
            attempts.incrementAndGet();
            s.execute("INSERT INTO t VALUES (1)");
        })).isInstanceOf(CommitInDoubtException.class);
        assertThat(attempts).as("attempts").hasValue(1);
        assertThat(main.commits()).as("the row is committed once, not twice").isEqualTo(1);
        assertNothingCheckedOut();
    }

    @Test
    void theSamePolicyStillRetriesADisconnectBeforeTheCommit() {
        sessions.useTransaction(RETRY_DISCONNECTS, s -> {
            if (attempts.incrementAndGet() == 1) {
                main.failNextStatement("08006");
            }
            s.execute("INSERT INTO t VALUES (1)");
        });
        assertThat(attempts).hasValue(2);
        assertThat(main.commits()).isEqualTo(1);
    }

    @Test
    void noPredicateCanMakeAPolicyRetryACommitInDoubtEvenWrapped() {
        CommitInDoubtException inDoubt = new CommitInDoubtException("lost", List.of(),
                new SQLException("gone", "08006"));
        RetryPolicy everything = RetryPolicy.on(t -> true);
        assertThat(everything.shouldRetry(inDoubt)).isFalse();
        assertThat(everything.shouldRetry(new AthanorException("wrapped", inDoubt))).isFalse();
        assertThat(everything.shouldRetry(new DisconnectionException("lost before COMMIT", "UPDATE t SET n = 1",
                List.of(), new SQLException("gone", "08006")))).isTrue();
    }

    @Test
    void whenTheFirstBindsCommitIsCutOffAndTheSecondIsRolledBackTheCommitIsPartialAndInDoubt() {
        main.loseNextCommitReplies(1);
        assertThatThrownBy(() -> sessions.useTransaction(RETRY_DISCONNECTS, s -> {
            attempts.incrementAndGet();
            s.execute("INSERT INTO u VALUES (1)");
            s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
        })).isInstanceOfSatisfying(PartialCommitException.class, e -> {
            assertThat(e.committed()).isEmpty();
            assertThat(e.failed()).isEqualTo("default");
            assertThat(e.inDoubt()).containsExactly("default");
            assertThat(e.rolledBack()).containsExactly("blogs");
            assertThat(e).hasCauseInstanceOf(CommitInDoubtException.class)
                    .hasMessageStartingWith("[main] commit of bind 'default' is in doubt (the connection was lost"
                            + " during its COMMIT: it may or may not have committed); bind(s) [blogs] were rolled"
                            + " back.");
        });
        assertThat(attempts).as("attempts").hasValue(1);
        assertThat(main.commits()).isEqualTo(1);
        assertThat(blogs.commits()).isZero();
        assertThat(blogs.rollbacks()).isEqualTo(1);
        assertNothingCheckedOut();
    }

    @Test
    void aBindInDoubtAfterAnEarlierBindCommittedIsNamedAsInDoubt() {
        StubDatabase audit = StubDatabase.fresh();
        try (Engine auditEngine = Engine.builder(audit.url()).build()) {
            SessionFactory three = sessions.toBuilder().bind("audit", auditEngine).build();
            try (Session s = three.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                s.execute("audit", "INSERT INTO a VALUES (1)", Map.of());
                blogs.loseNextCommitReplies(1);
                assertThatThrownBy(s::commit).isInstanceOfSatisfying(PartialCommitException.class, e -> {
                    assertThat(e.committed()).containsExactly("default");
                    assertThat(e.inDoubt()).containsExactly("blogs");
                    assertThat(e.failed()).isEqualTo("blogs");
                    assertThat(e.rolledBack()).containsExactly("audit");
                    assertThat(e).hasMessageContaining("commit of bind 'blogs' is in doubt")
                            .hasMessageContaining("after bind(s) [default] had committed");
                });
            }
            assertThat(audit.commits()).isZero();
            assertThat(audit.rollbacks()).isEqualTo(1);
        }
    }

    @Test
    void aCommitThatCertainlyFailedAfterAnEarlierBindCommittedIsNotInDoubt() {
        java.util.List<String> told = new java.util.ArrayList<>();
        SessionFactory watched = sessions.toBuilder().listener(new SessionListener() {
            @Override
            public void afterPartialCommit(Session session, PartialCommitException failure) {
                told.add("partial " + failure.committed() + " failed " + failure.failed());
            }

            @Override
            public void afterRollback(Session session) {
                told.add("rollback");
            }
        }).build();
        try (Session s = watched.openSession()) {
            s.execute("INSERT INTO u VALUES (1)");
            s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
            blogs.failNextCommit("40001");
            assertThatThrownBy(s::commit).isInstanceOfSatisfying(PartialCommitException.class,
                    e -> assertThat(e.inDoubt()).isEmpty());
        }
        assertThat(told).containsExactly("partial [default] failed blogs", "rollback");
    }
}
