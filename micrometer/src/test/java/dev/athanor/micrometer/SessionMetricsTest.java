package dev.athanor.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Engine;
import dev.athanor.PartialCommitException;
import dev.athanor.RetryPolicy;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.testing.stub.StubDatabase;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session meters, and binding a whole session factory's engines in one call. */
class SessionMetricsTest {
    private final StubDatabase usersDb = StubDatabase.fresh();
    private final StubDatabase blogsDb = StubDatabase.fresh();
    private final Engine users = Engine.builder(usersDb.url()).poolName("sm-users").build();
    private final Engine blogs = Engine.builder(blogsDb.url()).poolName("sm-blogs").build();
    private final SessionFactory plain = SessionFactory.builder().bind(users).bind("blogs", blogs).name("app").build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        users.close();
        blogs.close();
    }

    private double counter(String name) {
        return registry.get(name).tag(SessionMetrics.FACTORY, "app").counter().count();
    }

    @Test
    void oneCallBindsEveryEnginesPoolMetersAndCountsRetriesAndPartialCommits() {
        SessionMetrics metrics = AthanorMetrics.bindTo(plain, registry);
        SessionFactory sessions = metrics.sessions();
        assertThat(sessions.bindNames()).isEqualTo(plain.bindNames());

        AtomicInteger attempts = new AtomicInteger();
        sessions.useTransaction(RetryPolicy.on(t -> t instanceof IllegalStateException).maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1)), s -> {
                    s.execute("UPDATE u SET n = 1");
                    if (attempts.incrementAndGet() < 3) {
                        throw new IllegalStateException("conflict " + attempts.get());
                    }
                });
        try (Session s = sessions.openSession()) {
            s.execute("INSERT INTO u VALUES (1)");
            s.execute("blogs", "INSERT INTO p VALUES (1)", Map.of());
            blogsDb.failNextCommit("40001");
            assertThatThrownBy(s::commit).isInstanceOf(PartialCommitException.class);
        }

        assertThat(counter(SessionMetrics.RETRIES)).as("attempts that ran again").isEqualTo(2);
        assertThat(counter(SessionMetrics.PARTIAL_COMMITS)).isEqualTo(1);
        for (Engine e : new Engine[] {users, blogs}) {
            assertThat(registry.get(AthanorMetrics.WAIT_TIME).tag(AthanorMetrics.POOL_NAME, e.name())
                    .functionTimer().count()).as("checkouts of %s", e.name()).isPositive();
        }
        assertThat(metrics.engines()).extracting(AthanorMetrics::engine).containsExactly(users, blogs);
    }

    @Test
    void sessionsOfTheOriginalFactoryAreNotCounted() {
        AthanorMetrics.bindTo(plain, registry);
        AtomicInteger attempts = new AtomicInteger();
        plain.useTransaction(RetryPolicy.on(t -> true).maxAttempts(2).backoff(Duration.ofMillis(1),
                Duration.ofMillis(1)), s -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("once");
                    }
                });
        assertThat(attempts).hasValue(2);
        assertThat(counter(SessionMetrics.RETRIES)).isZero();
    }

    @Test
    void anEngineBoundUnderTwoNamesIsMeasuredOnceAndHistogramsReachEveryEngine() {
        SessionFactory twice = SessionFactory.builder().bind(users).bind("again", users).build();
        SessionMetrics metrics = new SessionMetrics(twice).histograms(true);
        assertThat(metrics.engines()).hasSize(1);
        metrics.bindTo(registry);
        metrics.sessions().useTransaction(s -> s.execute("UPDATE u SET n = 1"));
        assertThat(registry.get(AthanorMetrics.WAIT_TIME).tag(AthanorMetrics.POOL_NAME, users.name()).timer().count())
                .isEqualTo(1);
    }

    @Test
    void closingRemovesTheSessionAndPoolMetersAndStopsCounting() {
        SessionMetrics metrics = AthanorMetrics.bindTo(plain, registry);
        assertThat(registry.getMeters()).isNotEmpty();

        metrics.close();

        assertThat(registry.getMeters()).isEmpty();
        metrics.sessions().useTransaction(s -> s.execute("UPDATE u SET n = 1"));
        assertThat(registry.getMeters()).as("nothing re-registered by later sessions").isEmpty();
        assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
