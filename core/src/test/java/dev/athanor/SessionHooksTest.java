package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.spi.ForwardingSession;
import dev.athanor.testing.LogCapture;
import dev.athanor.testing.stub.StubDatabase;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Nested transactions over several binds, the listener hooks and the extension points, over the stub driver. */
class SessionHooksTest {
    private StubDatabase main;
    private StubDatabase blogs;
    private Engine mainEngine;
    private Engine blogsEngine;
    private SessionFactory sessions;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final SessionListener recorder = new SessionListener() {
        @Override
        public void afterBegin(Session session, String bind, Connection connection) {
            events.add("begin " + bind);
        }

        @Override
        public void beforeCommit(Session session) {
            events.add("beforeCommit");
        }

        @Override
        public void afterCommit(Session session) {
            events.add("afterCommit");
        }

        @Override
        public void afterRollback(Session session) {
            events.add("afterRollback");
        }

        @Override
        public void afterRollbackToSavepoint(Session session, SessionSavepoint savepoint) {
            events.add("afterRollbackToSavepoint");
        }

        @Override
        public void beforeClose(Session session) {
            events.add("beforeClose");
        }
    };

    @BeforeEach
    void setUp() {
        main = StubDatabase.fresh();
        blogs = StubDatabase.fresh();
        // NullPool closes what is returned, so the stub's open-connection count shows every return.
        mainEngine = Engine.builder(main.url()).poolName("main").pool("null").build();
        blogsEngine = Engine.builder(blogs.url()).poolName("blogs").pool("null").build();
        sessions = SessionFactory.builder().bind(mainEngine).bind("blogs", blogsEngine).listener(recorder).build();
    }

    @AfterEach
    void tearDown() {
        mainEngine.close();
        blogsEngine.close();
    }

    @Nested
    class NestedTransactions {
        @Test
        void beginNestedWithNothingRunYetBeginsOnTheDefaultBindOnly() {
            try (Session s = sessions.openSession()) {
                SessionSavepoint sp = s.beginNested();
                assertThat(sp.isActive()).isTrue();
                assertThat(s.isActive()).isTrue();
                assertThat(main.opened()).isEqualTo(1);
                assertThat(blogs.opened()).isZero();
            }
        }

        @Test
        void aBindUsedInsideANestedTransactionJoinsItsSavepoint() {
            try (Session s = sessions.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                SessionSavepoint sp = s.beginNested();
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                sp.rollback();
                assertThat(main.savepointRollbacks()).isEqualTo(1);
                assertThat(blogs.savepointRollbacks()).as("blogs engaged after the savepoint, still covered")
                        .isEqualTo(1);
                assertThat(s.isActive()).as("the outer transaction goes on").isTrue();
                s.commit();
                assertThat(main.commits() + blogs.commits()).isEqualTo(2);
            }
        }

        @Test
        void endingAnOuterSavepointEndsTheOnesNestedInIt() {
            try (Session s = sessions.openSession()) {
                SessionSavepoint outer = s.beginNested();
                SessionSavepoint inner = s.beginNested();
                outer.rollback();
                assertThat(inner.isActive()).isFalse();
                assertThat(outer.isActive()).isFalse();
                assertThatThrownBy(inner::commit).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("nested transaction #2").hasMessageContaining("no longer active");
                assertThat(main.savepointRollbacks()).isEqualTo(1);
            }
        }

        @Test
        void rollbackAndCommitEndEverySavepoint() {
            try (Session s = sessions.openSession()) {
                SessionSavepoint sp = s.beginNested();
                s.rollback();
                assertThat(sp.isActive()).isFalse();
                SessionSavepoint next = s.beginNested();
                s.commit();
                assertThat(next.isActive()).isFalse();
                next.close();
                assertThat(main.commits()).isEqualTo(1);
                assertThat(main.savepointRollbacks()).isZero();
            }
        }
    }

    @Nested
    class Listeners {
        @Test
        void listenersSeeEveryStepOfTheSession() {
            try (Session s = sessions.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
                s.commit();
                SessionSavepoint sp = s.beginNested();
                s.execute("INSERT INTO u VALUES (2)");
                sp.close(); // neither committed nor rolled back: closing rolls back to the savepoint
                s.rollback();
                s.execute("INSERT INTO u VALUES (3)");
            }
            assertThat(events).containsExactly("begin default", "begin blogs", "beforeCommit", "afterCommit",
                    "begin default", "afterRollbackToSavepoint", "afterRollback", "begin default", "beforeClose",
                    "afterRollback");
        }

        @Test
        void useIsAnnouncedOncePerStatementOrConnectionCallFromOutsideAndNotForTransactionControl() {
            List<String> seen = new CopyOnWriteArrayList<>();
            SessionFactory f = sessions.toBuilder().listener(new SessionListener() {
                @Override
                public void afterBegin(Session session, String bind, Connection connection) {
                    seen.add("begin " + bind);
                }

                @Override
                public void beforeConnectionUse(Session session, String bind) {
                    seen.add("use " + bind);
                }
            }).build();
            try (Session s = f.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                s.executeMany("INSERT INTO u VALUES (:id)", List.of(Map.of("id", 2)));
                s.connection().execute("INSERT INTO u VALUES (3)");
                s.connection("blogs").execute("INSERT INTO p VALUES (1)");
                s.beginNested().commit();
                new ForwardingSession(s) { }.connection("default");
                s.execute("blogs", "INSERT INTO p VALUES (2)", Map.of());
                s.execute("INSERT INTO u VALUES (:id)", Map.of("id", 4));
                s.commit();
                s.execute("blogs", "INSERT INTO p VALUES (3)", Map.of());
            }
            assertThat(seen).containsExactly("use default", "begin default", "use default", "use default",
                    "use blogs", "begin blogs", "use default", "use blogs", "use default", "use blogs", "begin blogs");
        }

        @Test
        void aListenerUsingTheSessionInBeforeConnectionUseIsNotCalledAgain() {
            List<String> seen = new CopyOnWriteArrayList<>();
            SessionFactory f = sessions.toBuilder().listener(new SessionListener() {
                @Override
                public void beforeConnectionUse(Session session, String bind) {
                    seen.add("use " + bind);
                    session.connection(bind).execute("INSERT INTO pending VALUES (1)"); // a flush, say
                    session.execute(bind, "INSERT INTO pending VALUES (2)", Map.of());
                }
            }).build();
            try (Session s = f.openSession()) {
                s.connection().execute("SELECT 1");
                s.execute("SELECT 1");
                s.commit();
            }
            assertThat(seen).containsExactly("use default", "use default");
            assertThat(main.statementsExecuted()).isEqualTo(6);
        }

        @Test
        void aFailingBeforeConnectionUseHandsOutNoConnectionAndRunsNoStatement() {
            SessionFactory f = sessions.toBuilder().listener(new SessionListener() {
                @Override
                public void beforeConnectionUse(Session session, String bind) {
                    if (bind.equals("blogs")) {
                        throw new IllegalStateException("flush failed on " + bind);
                    }
                }
            }).build();
            try (Session s = f.openSession()) {
                assertThatThrownBy(() -> s.connection("blogs")).hasMessage("flush failed on blogs");
                assertThatThrownBy(() -> s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of()))
                        .hasMessage("flush failed on blogs");
                assertThat(s.isActive()).isFalse();
                assertThat(blogs.opened()).isZero();
                s.execute("INSERT INTO u VALUES (1)");
                s.commit();
            }
            assertThat(main.commits()).isEqualTo(1);
        }

        @Test
        void aFailingBeforeCommitStopsTheCommitAndKeepsTheTransactionOpen() {
            SessionFactory f = sessions.toBuilder().listener(new SessionListener() {
                @Override
                public void beforeCommit(Session session) {
                    throw new IllegalStateException("flush failed");
                }
            }).build();
            try (Session s = f.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                assertThatThrownBy(s::commit).hasMessage("flush failed");
                assertThat(main.commits()).isZero();
                assertThat(s.isActive()).isTrue();
            }
            assertThat(main.rollbacks()).isEqualTo(1);
        }

        @Test
        void aFailingAfterBeginStopsTheStatementAndGivesTheConnectionBack() {
            AtomicBoolean fail = new AtomicBoolean(true);
            SessionFactory f = sessions.toBuilder().listener(new SessionListener() {
                @Override
                public void afterBegin(Session session, String bind, Connection connection) {
                    if (fail.getAndSet(false)) {
                        throw new IllegalStateException("setup failed");
                    }
                }
            }).build();
            try (Session s = f.openSession()) {
                assertThatThrownBy(() -> s.execute("INSERT INTO u VALUES (1)")).hasMessage("setup failed");
                assertThat(s.isActive()).isFalse();
                assertThat(main.openNow()).isZero();
                assertThat(main.statementsExecuted()).isZero();
                s.execute("INSERT INTO u VALUES (1)");
                s.commit();
            }
            assertThat(main.commits()).isEqualTo(1);
        }

        @Test
        void aFailingAfterCommitIsLoggedAndTheOtherListenersStillRun() {
            SessionListener failing = new SessionListener() {
                @Override
                public void afterCommit(Session session) {
                    throw new IllegalStateException("cache clear failed");
                }
            };
            SessionFactory f = SessionFactory.builder().bind(mainEngine).listener(failing).listener(recorder).build();
            try (LogCapture log = LogCapture.of("dev.athanor.session")) {
                f.useTransaction(s -> s.execute("INSERT INTO u VALUES (1)"));
                assertThat(log.warnings()).anyMatch(m -> m.contains("failed in afterCommit; ignored"));
            }
            assertThat(main.commits()).isEqualTo(1);
            assertThat(events).contains("afterCommit");
        }

        @Test
        void aFailedCommitEndsAsARollback() {
            try (Session s = sessions.openSession()) {
                s.execute("INSERT INTO u VALUES (1)");
                main.failNextCommit("40001");
                assertThatThrownBy(s::commit).isInstanceOf(StatementException.class);
            }
            assertThat(events).containsExactly("begin default", "beforeCommit", "afterRollback", "beforeClose");
        }
    }

    @Nested
    class Extensions {
        @Test
        void anAttributeIsMadeOncePerSessionAndFoundByUnwrap() {
            try (Session s = sessions.openSession()) {
                StringBuilder state = s.attribute(StringBuilder.class, StringBuilder::new);
                assertThat(s.attribute(StringBuilder.class, StringBuilder::new)).isSameAs(state);
                assertThat(s.attribute(StringBuilder.class)).containsSame(state);
                assertThat(s.unwrap(CharSequence.class)).isSameAs(state);
                assertThat(s.unwrap(Session.class)).isSameAs(s);
                assertThatThrownBy(() -> s.unwrap(Integer.class)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not a java.lang.Integer");
            }
            try (Session other = sessions.openSession()) {
                assertThat(other.attribute(StringBuilder.class)).isEmpty();
            }
        }

        @Test
        void aForwardingSessionIsFoundFromTheSessionItWraps() {
            Session inner = sessions.openSession();
            Audited audited = inner.attribute(Audited.class, () -> new Audited(inner));
            assertThat(inner.unwrap(Audited.class)).isSameAs(audited);
            assertThat(audited.unwrap(Session.class)).isSameAs(audited);
            assertThat(audited.isolationLevel(IsolationLevel.SERIALIZABLE)).isSameAs(audited);
            audited.execute("INSERT INTO u VALUES (1)");
            audited.commit();
            audited.close();
            assertThat(inner.isClosed()).isTrue();
            assertThat(main.commits()).isEqualTo(1);
        }
    }

    /** An extension's richer session, as the MyBatis module makes one. */
    static final class Audited extends ForwardingSession {
        Audited(Session delegate) {
            super(delegate);
        }
    }
}
