package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.athanor.testing.LogCapture;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions and connections garbage-collected while open. GC timing is the point here, so each test drops its last
 * reference and runs the collector in a bounded loop until the leak is reported.
 */
@Timeout(30)
class LeakDetectionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private StubDatabase db;
    private Engine engine;

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
        // A pool name per test: a leak from another test may be reported late, and must not be counted here.
        // NullPool closes what is returned, so the stub's open-connection count shows every return.
        engine = Engine.builder(db.url()).poolName("leaky-" + db.name()).pool("null").leakDetection(LeakDetection.WARN).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void aSessionCollectedWhileOpenIsLoggedRolledBackAndItsConnectionReturned() throws InterruptedException {
        SessionFactory sessions = SessionFactory.builder().bind(engine).build();
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            closeOne(sessions);
            leakOne(sessions);
            assertThat(collectUntil(log, m -> m.contains("session opened on thread"))).isTrue();
            assertThat(log.warnings()).filteredOn(m -> m.startsWith(prefix())).singleElement().asString()
                    .startsWith(prefix() + " session opened on thread '" + Thread.currentThread().getName() + "' at ")
                    .contains("was never closed (garbage-collected while open)")
                    .contains("LeakDetection.WARN_WITH_STACK shows where it was opened");
            assertThat(db.openNow()).isZero();
            assertThat(db.rollbacks()).isEqualTo(2);
            assertThat(engine.status().checkedOut()).isZero();
        }
    }

    @Test
    void leaksFromSeveralThreadsAreEachReportedOnceAndClosedSessionsNever() throws InterruptedException {
        SessionFactory sessions = SessionFactory.builder().bind(engine).build();
        int threads = 4;
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        closeOne(sessions);
                    }
                    leakOne(sessions);
                }, "leaker-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join(PATIENCE.toMillis());
                assertThat(w.isAlive()).isFalse();
            }
            assertThat(collectUntil(log, m -> m.startsWith(prefix()) && log.warnings().stream()
                    .filter(w -> w.startsWith(prefix())).count() >= threads)).isTrue();
            assertThat(log.warnings()).filteredOn(m -> m.startsWith(prefix())).hasSize(threads)
                    .allMatch(m -> m.contains("was never closed"))
                    .anyMatch(m -> m.contains("'leaker-0'")).anyMatch(m -> m.contains("'leaker-3'"));
            assertThat(db.openNow()).isZero();
            assertThat(db.rollbacks()).isEqualTo(threads * 51);
            assertThat(engine.status().checkedOut()).isZero();
        }
    }

    @Test
    void withStackCaptureTheWarningShowsWhereTheSessionWasOpened() throws InterruptedException {
        SessionFactory sessions = SessionFactory.builder().bind(engine).name("stacked-" + db.name())
                .leakDetection(LeakDetection.WARN_WITH_STACK).build();
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            leakOne(sessions);
            String stacked = "[stacked-" + db.name() + "] session opened";
            assertThat(collectUntil(log, m -> m.startsWith(stacked))).isTrue();
            ILoggingEvent event = log.events().stream().filter(e -> e.getFormattedMessage().startsWith(stacked))
                    .findFirst().orElseThrow();
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("session opened here");
            assertThat(Arrays.stream(event.getThrowableProxy().getStackTraceElementProxyArray())
                    .map(Object::toString)).anyMatch(frame -> frame.contains("LeakDetectionTest.leakOne"));
        }
    }

    @Test
    void leakDetectionOffTracksNothing() throws InterruptedException {
        SessionFactory untracked = SessionFactory.builder().bind(engine).name("untracked-" + db.name())
                .leakDetection(LeakDetection.OFF).build();
        SessionFactory tracked = SessionFactory.builder().bind(engine).name("tracked-" + db.name()).build();
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            leakOne(untracked);
            leakOne(tracked);
            assertThat(collectUntil(log, m -> m.startsWith("[tracked-" + db.name() + "]"))).isTrue();
            System.gc();
            assertThat(log.warnings()).noneMatch(m -> m.startsWith("[untracked-" + db.name() + "]"));
        }
    }

    @Test
    void aConnectionCollectedWhileOpenIsLoggedAndReturned() throws InterruptedException {
        try (LogCapture log = LogCapture.of("dev.athanor.pool")) {
            engine.connect().close();
            leakConnection(engine);
            assertThat(collectUntil(log, m -> m.startsWith(prefix() + " connection opened on thread"))).isTrue();
            assertThat(log.warnings()).filteredOn(m -> m.startsWith(prefix())).hasSize(1);
            assertThat(db.openNow()).isZero();
            assertThat(engine.status().checkedOut()).isZero();
        }
    }

    @Test
    void aThreadLocalSessionLeftBoundWhenItsThreadEndsIsClosedAndLogged() throws Exception {
        ScopedSession<Session> scoped = ScopedSession.threadLocal(SessionFactory.builder().bind(engine).build());
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            Thread worker = new Thread(() -> scoped.execute("UPDATE t SET n = 1"), "forgot-remove");
            worker.start();
            worker.join(5_000);
            assertThat(collectUntil(log, m -> m.contains("opened on thread 'forgot-remove'"))).isTrue();
            assertThat(db.openNow()).isZero();
            assertThat(db.rollbacks()).isEqualTo(1);
        }
    }

    @Test
    void leakDetectionMustBeSet() {
        assertThatThrownBy(() -> Engine.builder(db.url()).leakDetection(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("leakDetection must be one of OFF, WARN, WARN_WITH_STACK, was null");
    }

    private String prefix() {
        return "[" + engine.name() + "]";
    }

    private static void closeOne(SessionFactory sessions) {
        Session s = sessions.openSession();
        s.execute("UPDATE t SET n = 1");
        s.close();
    }

    /** Opens a session, uses it and drops it without closing; a method of its own so no frame keeps it. */
    private static void leakOne(SessionFactory sessions) {
        sessions.openSession().execute("UPDATE t SET n = 1");
    }

    private static void leakConnection(Engine engine) {
        engine.connect().execute("UPDATE t SET n = 1");
    }

    private static boolean collectUntil(LogCapture log, Predicate<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            System.gc();
            if (log.await(message, Duration.ofMillis(50))) {
                return true;
            }
        }
        return false;
    }
}
