package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code ScopedSession} over the backend, across threads and a fixed thread pool: one session per thread,
 * {@code remove()} touching only the caller's scope, and {@code inScope} leaking neither sessions nor connections.
 * Every rule is bounded by a timeout and stops its own threads. Runs on the real databases.
 */
abstract class ScopeRules extends SessionRuleGroup {
    private static final long WAIT_SECONDS = 20;

    private Engine engine;
    private String users;
    private SessionFactory sessions;
    private ExecutorService threads;

    ScopeRules(SessionContract contract, Target target) {
        super(contract, target);
    }

    @BeforeEach
    void createUsers() {
        engine = engine();
        users = table(engine, "kit_scoped");
        sessions = SessionFactory.builder().bind(engine).build();
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        if (threads != null) {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).as("the rule's threads stopped")
                    .isTrue();
        }
    }

    private ExecutorService threads(int n) {
        threads = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "athanor-testkit-scope");
            t.setDaemon(true);
            return t;
        });
        return threads;
    }

    private void insert(ScopedSession<Session> db, String name) {
        db.execute("INSERT INTO " + users + " (name) VALUES (:name)", Map.of("name", name));
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("waited %d s for %s", WAIT_SECONDS, what).isTrue();
    }

    /**
     * A thread-local registry gives a thread the same session every time and another thread a different one, each
     * in a transaction of its own on its own connection. If this fails, check that two borrowers never share one
     * physical connection.
     */
    @Test
    @DisplayName("SCOPE-1: the same session within a thread, a different one on another thread")
    @ContractRule(id = "SCOPE-1", check = "that take() never hands one connection to two borrowers")
    void samePerThreadDifferentAcross() throws Exception {
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        CountDownLatch used = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        try {
            Session mine = db.current();
            assertThat(db.current()).as("current() twice on one thread").isSameAs(mine);
            insert(db, "mine");
            Future<Session> theirs = threads(1).submit(() -> {
                try {
                    insert(db, "theirs");
                    used.countDown();
                    await(checked, "the main thread's checks");
                    Session s = db.current();
                    db.commit();
                    return s;
                } finally {
                    db.remove();
                }
            });
            await(used, "the other thread's insert");
            assertThat(engine.status().checkedOut()).as("connections borrowed by two threads' sessions (%s)",
                    engine.status()).isEqualTo(2);
            checked.countDown();
            assertThat(theirs.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the other thread's session")
                    .isNotSameAs(mine);
            assertThat(db.current()).as("current() on this thread after the other thread removed its own")
                    .isSameAs(mine);
            db.commit();
        } finally {
            checked.countDown();
            db.remove();
        }
        assertThat(names(engine, users)).as("rows committed by both threads").containsExactlyInAnyOrder("mine",
                "theirs");
        assertThat(engine.status().checkedOut()).as("connections borrowed at the end").isZero();
    }

    /**
     * {@code remove()} closes and unbinds the caller's session only: another thread's open session keeps its
     * transaction and commits afterwards. If this fails, check that checkin() of one connection does not affect
     * another borrowed one.
     */
    @Test
    @DisplayName("SCOPE-2: remove() closes only the caller's session")
    @ContractRule(id = "SCOPE-2", check = "that keep() and discard() touch only the connection they are given")
    void removeTouchesOnlyCaller() throws Exception {
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        try {
            Future<Boolean> theirs = threads(1).submit(() -> {
                try {
                    Session s = db.current();
                    insert(db, "theirs");
                    written.countDown();
                    await(removed, "the main thread's remove()");
                    boolean same = db.current() == s && !s.isClosed();
                    db.commit();
                    return same;
                } finally {
                    db.remove();
                }
            });
            await(written, "the other thread's insert");
            Session mine = db.current();
            insert(db, "mine");
            db.remove();
            removed.countDown();
            assertThat(mine.isClosed()).as("this thread's session after remove()").isTrue();
            assertThat(db.has()).as("a session bound to this thread after remove()").isFalse();
            assertThat(theirs.get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("the other thread kept the same open session across this thread's remove()").isTrue();
        } finally {
            removed.countDown();
            db.remove();
        }
        assertThat(names(engine, users)).as("rows committed").containsExactly("theirs");
        assertThat(engine.status().checkedOut()).as("connections borrowed at the end").isZero();
    }

    /**
     * {@code inScope} on a fixed pool of 2 threads running 200 tasks gives every task a session of its own, commits
     * each, and leaks nothing: no session stays bound, nothing stays borrowed, and every physical connection opened
     * is closed or idle in the pool. If this fails, check that checkin() makes a connection available again at once
     * and that status() reports idle connections as checkedIn.
     */
    @Test
    @DisplayName("SCOPE-3: inScope on a 2-thread pool running 200 tasks leaks no session and no connection")
    @ContractRule(id = "SCOPE-3", check = "that keep() makes the connection available to the next take() at once and"
            + " that the store closes only what ConnectionSource opened")
    void inScopeLeaksNothing() throws Exception {
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        Set<Session> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicInteger leftBound = new AtomicInteger();
        int tasks = 200;
        ExecutorService pool = threads(2);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            String name = "task" + i;
            futures.add(pool.submit(() -> {
                db.inScope(() -> {
                    seen.add(db.current());
                    insert(db, name);
                });
                if (db.has()) {
                    leftBound.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(seen).as("distinct sessions the tasks saw").hasSize(tasks);
        assertThat(leftBound).as("tasks after which a session stayed bound to the pooled thread").hasValue(0);
        assertThat(count(engine, users)).as("rows committed by the tasks").isEqualTo(tasks);
        Counts counts = counts(engine);
        // A backend may close an extra idle connection on its own thread shortly after checkin; give it settle time.
        KitTime.poll(() -> counts.connects.get() == counts.closes.get() + engine.status().checkedIn(), KitTime.SETTLE);
        assertThat(engine.status().checkedOut()).as("connections borrowed after the tasks (%s)", engine.status())
                .isZero();
        assertThat(counts.connects.get()).as("physical connections opened = closed + idle in the pool (%s; %s)",
                counts, engine.status()).isEqualTo(counts.closes.get() + engine.status().checkedIn());
    }
}
