package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.LogCapture;
import dev.athanor.testing.stub.StubDatabase;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy FAST = RetryPolicy.serializable().backoff(Duration.ZERO, Duration.ofMillis(2));

    private StubDatabase db;
    private Engine engine;
    private SessionFactory sessions;
    private final AtomicInteger attempts = new AtomicInteger();

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
        engine = Engine.builder(db.url()).poolName("retry").build();
        sessions = SessionFactory.builder().bind(engine).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void aSerializationFailureIsRetriedAndTheUnitCommitsOnceLoggingEachRetry() {
        try (LogCapture log = LogCapture.of("dev.athanor.session")) {
            db.failNextStatement("40001");
            long n = sessions.inTransaction(FAST.maxAttempts(5), s -> {
                attempts.incrementAndGet();
                return s.execute("SELECT ?", 7L).scalar(Long.class);
            });
            assertThat(n).isEqualTo(7L);
            assertThat(attempts).hasValue(2);
            assertThat(db.commits()).isEqualTo(1);
            assertThat(db.rollbacks()).isEqualTo(1);
            assertThat(log.warnings()).filteredOn(m -> m.startsWith("[retry]")).singleElement().asString()
                    .startsWith("[retry] unit of work failed on attempt 1 of 5 (SQLState 40001, error 0); retrying in");
        }
    }

    @Test
    void afterTheLastAttemptTheLastFailureIsThrownWithTheEarlierOnesSuppressed() {
        assertThatThrownBy(() -> sessions.useTransaction(FAST.maxAttempts(3), s -> {
            attempts.incrementAndGet();
            db.failNextStatement("40P01");
            s.execute("UPDATE t SET n = 1");
        })).isInstanceOfSatisfying(StatementException.class, e -> {
            assertThat(e.sqlState()).isEqualTo("40P01");
            assertThat(e.getSuppressed()).hasSize(2).allMatch(s -> s instanceof StatementException);
        });
        assertThat(attempts).hasValue(3);
        assertThat(db.commits()).isZero();
    }

    @Test
    void listenersAreToldOfEachRetryButNotOfTheLastFailure() {
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        SessionFactory watched = sessions.toBuilder().listener(new SessionListener() {
            @Override
            public void beforeRetry(Session session, int attempt, Throwable failure) {
                assertThat(session.isActive()).as("told before the rollback").isTrue();
                told.add(attempt + " " + ((StatementException) failure).sqlState());
            }
        }).build();
        assertThatThrownBy(() -> watched.useTransaction(FAST.maxAttempts(3), s -> {
            db.failNextStatement("40001");
            s.execute("UPDATE t SET n = 1");
        })).isInstanceOf(StatementException.class);
        assertThat(told).containsExactly("1 40001", "2 40001");
        assertThatThrownBy(() -> watched.useTransaction(s -> {
            db.failNextStatement("40001");
            s.execute("UPDATE t SET n = 1");
        })).isInstanceOf(StatementException.class);
        assertThat(told).as("no policy: nothing is retried").hasSize(2);
    }

    @Test
    void otherErrorsAreNotRetried() {
        assertThatThrownBy(() -> sessions.useTransaction(FAST, s -> {
            attempts.incrementAndGet();
            db.failNextStatement("23505");
            s.execute("INSERT INTO t VALUES (1)");
        })).isInstanceOf(StatementException.class).hasMessageContaining("23505");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aPartialCommitIsNeverRetried() {
        PartialCommitException partial = new PartialCommitException("x", List.of("default"), "blogs", List.of(),
                new SQLException("lost", "40001"));
        assertThat(FAST.shouldRetry(partial)).isFalse();
        assertThat(FAST.shouldRetry(new AthanorException("wrapped", partial))).isFalse();
        assertThat(RetryPolicy.on(t -> true).shouldRetry(new AssertionError("an Error"))).isFalse();
    }

    @Test
    void serializationFailuresAreFoundAnywhereInTheCauseChain() {
        assertThat(RetryPolicy.isSerializationFailure(new RuntimeException(new SQLException("x", "40001")))).isTrue();
        assertThat(RetryPolicy.isSerializationFailure(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(RetryPolicy.isSerializationFailure(new SQLException("Deadlock found", "HY000", 1213))).isTrue();
        assertThat(RetryPolicy.isSerializationFailure(new SQLException("dup", "23505"))).isFalse();
        assertThat(RetryPolicy.isSerializationFailure(new IllegalStateException())).isFalse();
    }

    @Test
    void retryOnAddsToWhatThePolicyRetriesCheckedExceptionsIncluded() throws IOException {
        String result = sessions.inTransaction(FAST.retryOn(t -> t instanceof IOException), s -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("flaky");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(FAST.retryOn(t -> t instanceof IOException).shouldRetry(new SQLException("x", "40001"))).isTrue();
        assertThat(RetryPolicy.on(t -> t instanceof IOException).shouldRetry(new SQLException("x", "40001")))
                .isFalse();
    }

    @Test
    void backoffIsFullJitterWithinTheExponentialCap() {
        RetryPolicy p = RetryPolicy.serializable().backoff(Duration.ofMillis(10), Duration.ofMillis(50));
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoffNanos(1)).isBetween(0L, Duration.ofMillis(10).toNanos());
            assertThat(p.backoffNanos(2)).isBetween(0L, Duration.ofMillis(20).toNanos());
            assertThat(p.backoffNanos(40)).isBetween(0L, Duration.ofMillis(50).toNanos());
        }
        assertThat(RetryPolicy.serializable().backoff(Duration.ZERO, Duration.ZERO).backoffNanos(3)).isZero();
        // Full jitter is uniform over [0, cap]: a backoff that is always 0, always the cap, or half of it would pass
        // the bounds above. 4,000 samples put the mean within 0.6 % of the cap (one standard deviation) of cap / 2;
        // the checks allow 10 % and the extremes, so they do not flake.
        for (int attempt : new int[] {1, 2, 40}) {
            long cap = Duration.ofMillis(Math.min(50, 10L << (attempt - 1))).toNanos();
            long[] waits = java.util.stream.LongStream.generate(() -> p.backoffNanos(attempt)).limit(4000).toArray();
            java.util.LongSummaryStatistics stats = java.util.Arrays.stream(waits).summaryStatistics();
            assertThat(stats.getAverage()).as("mean backoff before attempt %d, cap %d ns", attempt + 1, cap)
                    .isBetween(0.4 * cap, 0.6 * cap);
            assertThat(stats.getMin()).as("shortest backoff before attempt %d", attempt + 1).isLessThan(cap / 10);
            assertThat(stats.getMax()).as("longest backoff before attempt %d", attempt + 1).isGreaterThan(cap * 9 / 10);
        }
    }

    @Test
    void outOfRangeSettingsAreRefusedAtOnce() {
        assertThatThrownBy(() -> RetryPolicy.serializable().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1, was 0");
        assertThatThrownBy(() -> RetryPolicy.serializable().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 <= initial <= max");
        RetryPolicy base = RetryPolicy.serializable();
        assertThat(base.maxAttempts(9)).isNotSameAs(base);
        assertThat(base.maxAttempts()).as("immutable").isEqualTo(3);
    }
}
