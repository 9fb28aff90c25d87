package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.spi.ForwardingSession;
import dev.athanor.testing.stub.StubDatabase;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ScopedSession registry rules over the stub driver; the database suites run the same on real databases. */
class ScopedSessionTest {
    private StubDatabase db;
    private Engine engine;
    private SessionFactory sessions;
    private ScopedSession<Session> scoped;

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
        // NullPool closes what is returned, so the stub's open-connection count shows every return.
        engine = Engine.builder(db.url()).poolName("scoped").pool("null").build();
        sessions = SessionFactory.builder().bind(engine).build();
        scoped = ScopedSession.threadLocal(sessions);
    }

    @AfterEach
    void tearDown() {
        scoped.remove();
        engine.close();
    }

    @Test
    void theSameScopeGetsTheSameSessionUntilRemove() {
        assertThat(scoped.has()).isFalse();
        Session s = scoped.current();
        assertThat(scoped.current()).isSameAs(s);
        assertThat(scoped.has()).isTrue();
        scoped.execute("UPDATE t SET n = 1");
        scoped.remove();
        assertThat(s.isClosed()).isTrue();
        assertThat(db.rollbacks()).as("remove closes: what was not committed is rolled back").isEqualTo(1);
        assertThat(scoped.has()).isFalse();
        assertThat(scoped.current()).isNotSameAs(s);
    }

    @Test
    void aClosedSessionIsReplacedRatherThanHandedOut() {
        Session s = scoped.current();
        s.close();
        assertThat(scoped.has()).isFalse();
        assertThat(scoped.current()).isNotSameAs(s).matches(x -> !x.isClosed());
    }

    @Test
    void proxiesActOnTheCurrentSession() {
        scoped.execute("UPDATE t SET n = 1");
        scoped.commit();
        scoped.execute("UPDATE t SET n = 2");
        scoped.rollback();
        assertThat(db.commits()).isEqualTo(1);
        assertThat(db.rollbacks()).isEqualTo(1);
    }

    @Test
    void aKeyedScopeGivesOneSessionPerKey() {
        AtomicReference<String> request = new AtomicReference<>("r1");
        ScopedSession<Session> perRequest = ScopedSession.of(sessions, SessionScope.keyed(request::get));
        Session r1 = perRequest.current();
        request.set("r2");
        Session r2 = perRequest.current();
        assertThat(r2).isNotSameAs(r1);
        perRequest.remove();
        assertThat(r2.isClosed()).isTrue();
        assertThat(r1.isClosed()).as("remove touches only the caller's scope").isFalse();
        request.set("r1");
        assertThat(perRequest.current()).isSameAs(r1);
        perRequest.remove();
        request.set(null);
        assertThatThrownBy(perRequest::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no session scope is active");
    }

    @Test
    void inScopeCommitsOnSuccessClosesAndRestoresTheThreadsOwnSession() {
        Session threads = scoped.current();
        AtomicReference<Session> inside = new AtomicReference<>();
        String result = scoped.inScope(() -> {
            inside.set(scoped.current());
            scoped.execute("UPDATE t SET n = 1");
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(inside.get()).isNotSameAs(threads);
        assertThat(inside.get().isClosed()).isTrue();
        assertThat(db.commits()).isEqualTo(1);
        assertThat(scoped.current()).as("the scope seen before the block is back").isSameAs(threads);
        assertThat(threads.isClosed()).isFalse();
    }

    @Test
    void inScopeRollsBackOnErrorAndRethrowsTheOriginal() {
        assertThatThrownBy(() -> scoped.inScope(() -> {
            scoped.execute("UPDATE t SET n = 1");
            throw new IOException("broken");
        })).isInstanceOf(IOException.class).hasMessage("broken");
        assertThat(db.rollbacks()).isEqualTo(1);
        assertThat(db.commits()).isZero();
        assertThat(db.openNow()).isZero();
        assertThat(scoped.has()).isFalse();
    }

    @Test
    void inScopeBlocksNestAndAnUnusedScopeOpensNothing() {
        scoped.inScope(() -> {
            Session outer = scoped.current();
            scoped.inScope(() -> assertThat(scoped.current()).isNotSameAs(outer));
            assertThat(scoped.current()).isSameAs(outer);
        });
        scoped.inScope(() -> {
        });
        assertThat(db.opened()).isZero();
        assertThat(scoped.has()).isFalse();
    }

    @Test
    @Timeout(10)
    void differentThreadsGetDifferentSessionsAndRemoveTouchesOnlyTheCallers() throws Exception {
        Session mine = scoped.current();
        CountDownLatch bound = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        CompletableFuture<Boolean> otherStillBound = CompletableFuture.supplyAsync(() -> {
            Session theirs = scoped.current();
            bound.countDown();
            await(removed);
            boolean stillTheirs = scoped.current() == theirs && !theirs.isClosed() && theirs != mine;
            scoped.remove();
            return stillTheirs;
        });
        assertThat(bound.await(5, TimeUnit.SECONDS)).isTrue();
        scoped.remove();
        assertThat(mine.isClosed()).isTrue();
        removed.countDown();
        assertThat(otherStillBound.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anExtensionsSessionsAreScopedWithTheirOwnType() {
        SessionSource<Tagged> tagged = () -> {
            Session s = sessions.openSession();
            return s.attribute(Tagged.class, () -> new Tagged(s));
        };
        ScopedSession<Tagged> db = ScopedSession.threadLocal(tagged);
        Tagged t = db.inScope(() -> {
            Tagged current = db.current();
            current.execute("UPDATE t SET n = 1");
            return current;
        });
        assertThat(t.tag()).isEqualTo("tagged");
        assertThat(t.isClosed()).isTrue();
        assertThat(this.db.commits()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static final class Tagged extends ForwardingSession {
        Tagged(Session delegate) {
            super(delegate);
        }

        String tag() {
            return "tagged";
        }
    }
}
