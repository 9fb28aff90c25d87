package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Session} is for one thread at a time. Used from two threads at once it lost a connection (both threads
 * checked one out for the same bind, and only one was ever returned); now the second thread gets a clear
 * {@link IllegalStateException} and nothing leaks. Handing a session from one thread to another between uses still
 * works. The race is held open by the stub driver's hanging connects, so every test is deterministic and bounded.
 */
@Timeout(60)
class SessionConcurrentUseTest {
    /** How long the second thread is given to fail at once before the test looks at what it did instead. */
    private static final long FAIL_FAST_SECONDS = 2;

    private StubDatabase db;
    private Engine engine;
    private SessionFactory sessions;
    private ExecutorService threads;

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
        // NullPool: every checkout connects, so a hanging connect holds the first thread inside its checkout.
        engine = Engine.builder(db.url()).poolName("shared").pool("null").build();
        sessions = SessionFactory.builder().bind(engine).build();
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        db.releaseHangingConnects();
        threads.shutdownNow();
        engine.close();
    }

    /**
     * Runs {@code firstUse} on one thread and, while it is checking out the session's connection (its connect hangs),
     * {@code secondUse} on another; returns how the second use ended (null: it succeeded). Both threads have finished
     * when this returns, and the session is closed.
     */
    private Throwable whileAnotherThreadChecksOut(Session s, Consumer<Session> secondUse) throws Exception {
        Future<?> first;
        Future<?> second;
        Throwable secondFailure;
        try (StubDatabase.Hang hang = db.hangConnects()) {
            first = threads.submit(() -> s.execute("UPDATE t SET n = 1"));
            assertThat(hang.awaitBlocked(1, Duration.ofSeconds(10))).as("the first thread is checking out").isTrue();
            second = threads.submit(() -> secondUse.accept(s));
            secondFailure = failureOf(second, FAIL_FAST_SECONDS);
        }
        first.get(10, TimeUnit.SECONDS);
        if (secondFailure == null) {
            secondFailure = failureOf(second, 10);
        }
        s.close();
        return secondFailure;
    }

    /** How {@code task} ended within {@code seconds}: its exception, or null when it succeeded or is still running. */
    private static Throwable failureOf(Future<?> task, long seconds) throws InterruptedException {
        try {
            task.get(seconds, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return null;
        }
    }

    @Test
    void twoThreadsCheckingOutForOneSessionAtOnceFailClearlyInsteadOfLeakingAConnection() throws Exception {
        Session s = sessions.openSession();
        Throwable second = whileAnotherThreadChecksOut(s, session -> session.execute("UPDATE t SET n = 2"));
        assertThat(engine.status().checkedOut()).as("connections checked out after the session closed").isZero();
        assertThat(db.openNow() - engine.status().checkedIn()).as("physical connections outside the pool").isZero();
        assertThat(second).as("the second thread's statement").isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("[shared] this session is in use by another thread (")
                .hasMessageContaining("a Session is for one thread at a time");
    }

    @Test
    void committingRollingBackOrClosingFromAnotherThreadMeanwhileFailsClearly() throws Exception {
        for (Consumer<Session> use : List.<Consumer<Session>>of(Session::commit, Session::rollback,
                Session::close)) {
            Session s = sessions.openSession();
            Throwable second = whileAnotherThreadChecksOut(s, use);
            assertThat(second).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another thread");
            assertThat(engine.status().checkedOut()).as("checked out after the session closed").isZero();
        }
    }

    @Test
    void aSessionHandedFromThreadToThreadBetweenUsesWorks() throws Exception {
        Session s = sessions.openSession();
        threads.submit(() -> s.execute("UPDATE t SET n = 1")).get(10, TimeUnit.SECONDS);
        threads.submit(() -> {
            s.execute("UPDATE t SET n = 2");
            s.commit();
        }).get(10, TimeUnit.SECONDS);
        s.execute("UPDATE t SET n = 3");
        threads.submit(s::rollback).get(10, TimeUnit.SECONDS);
        s.close();
        assertThat(db.commits()).isEqualTo(1);
        assertThat(db.rollbacks()).isEqualTo(1);
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void listenersAndNestedCallsOnTheSameThreadAreNotConcurrentUse() {
        SessionFactory withListener = sessions.toBuilder().listener(new SessionListener() {
            @Override
            public void afterBegin(Session session, String bind, Connection connection) {
                session.execute("SELECT 1"); // back into the session from inside its own checkout
            }

            @Override
            public void beforeCommit(Session session) {
                session.execute("UPDATE t SET flushed = 1");
            }
        }).build();
        try (Session s = withListener.openSession()) {
            s.execute("UPDATE t SET n = 1");
            s.beginNested().commit();
            s.commit();
        }
        assertThat(db.commits()).isEqualTo(1);
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    @Tag("virtual-threads")
    void aSessionHandedBetweenVirtualThreadsAndScopesOnVirtualThreadsWork() throws Exception {
        ExecutorService virtual;
        try {
            virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "this JDK has no virtual threads");
            return;
        }
        try {
            Session s = sessions.openSession();
            for (int i = 0; i < 50; i++) {
                int n = i;
                virtual.submit(() -> {
                    s.execute("UPDATE t SET n = ?", n);
                    if (n % 2 == 1) {
                        s.commit();
                    }
                }).get(10, TimeUnit.SECONDS);
            }
            s.close();
            ScopedSession<Session> scoped = ScopedSession.threadLocal(sessions);
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                tasks.add(virtual.submit(() -> scoped.inScope(() -> {
                    scoped.execute("UPDATE t SET n = 1");
                })));
            }
            for (Future<?> t : tasks) {
                t.get(30, TimeUnit.SECONDS);
            }
        } finally {
            virtual.shutdownNow();
        }
        assertThat(db.commits()).isEqualTo(25 + 500);
        assertThat(engine.status().checkedOut()).isZero();
    }
}
