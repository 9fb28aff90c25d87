package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.CommitInDoubtException;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.PartialCommitException;
import dev.athanor.RetryPolicy;
import dev.athanor.SessionFactory;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A COMMIT whose outcome the client cannot know, on a real server: the {@link TcpProxy} forwards the COMMIT, the
 * server commits and replies, and the proxy resets the connection instead of forwarding the reply. The caller must be
 * told the commit is in doubt ({@link CommitInDoubtException}), a {@link RetryPolicy} that retries every
 * {@link DisconnectionException} must not rerun the unit (that committed the row twice), and with two binds the
 * failure is a {@link PartialCommitException} naming the bind in doubt. The table has no key, so a rerun would show
 * as a second row.
 */
abstract class AbstractCommitInDoubtTest {
    /** The policy a user writes to "survive restarts": every disconnect is retried. */
    static final RetryPolicy RETRY_DISCONNECTS = RetryPolicy.on(t -> t instanceof DisconnectionException)
            .maxAttempts(3).backoff(Duration.ZERO, Duration.ofMillis(5));

    abstract TestDatabase database();

    private static Engine engine(Target target, String backend) {
        return target.engine(backend).poolSize(2).maxOverflow(0).poolTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static String table(Target target) {
        String table = target.table("rel_in_doubt");
        target.admin("CREATE TABLE " + table + " (marker VARCHAR(40))");
        return table;
    }

    private static long rows(Target target, String table, String marker) {
        return target.adminCount("SELECT count(*) FROM " + table + " WHERE marker = '" + marker + "'");
    }

    /** The proxy withheld exactly one reply, and it was the reply to a COMMIT. */
    private static void assertTheCommitWasCut(TcpProxy proxy) {
        assertThat(proxy.cuts()).as("replies withheld by the proxy").isEqualTo(1);
        assertThat(proxy.lastCutRequest()).as("the request whose reply was withheld").contains("COMMIT");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void aSessionUnitWhoseCommitIsCutOffIsInDoubtAndNotRerunByARetryPolicy(String backend) {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = engine(target, backend)) {
                String table = table(target);
                SessionFactory sessions = SessionFactory.builder().bind(engine).build();
                AtomicInteger attempts = new AtomicInteger();
                proxy.cutReplyTo("COMMIT");
                assertThatThrownBy(() -> sessions.useTransaction(RETRY_DISCONNECTS, s -> {
                    attempts.incrementAndGet();
                    s.execute("INSERT INTO " + table + " (marker) VALUES (:m)", Map.of("m", "unit"));
                })).isInstanceOfSatisfying(CommitInDoubtException.class,
                        e -> assertThat(e.sql()).isEqualTo("COMMIT"))
                        .hasMessageContaining("may or may not have committed");
                assertTheCommitWasCut(proxy);
                assertThat(attempts).as("attempts of the unit of work").hasValue(1);
                assertThat(rows(target, table, "unit")).as("rows of the unit (never twice)").isLessThanOrEqualTo(1)
                        .as("the server replied to the COMMIT before the proxy cut it: it committed").isEqualTo(1);
                assertThat(engine.status().checkedOut()).as("checked out").isZero();

                sessions.useTransaction(RETRY_DISCONNECTS, s -> s.execute("INSERT INTO " + table + " (marker)"
                        + " VALUES (:m)", Map.of("m", "next")));
                assertThat(rows(target, table, "next")).as("the engine goes on").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void anEngineBlockWhoseCommitIsCutOffIsInDoubt(String backend) {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine engine = engine(target, backend)) {
                String table = table(target);
                proxy.cutReplyTo("COMMIT");
                assertThatThrownBy(() -> engine.useTransaction(c -> c.execute("INSERT INTO " + table
                        + " (marker) VALUES (:m)", Map.of("m", "block"))))
                        .isInstanceOf(CommitInDoubtException.class);
                assertTheCommitWasCut(proxy);
                assertThat(rows(target, table, "block")).isEqualTo(1);
                assertThat(engine.status().checkedOut()).as("checked out").isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void twoBindsWhoseFirstCommitIsCutOffArePartialNamingTheBindInDoubt(String backend) {
        try (Target target = Target.on(database())) {
            TcpProxy proxy = target.proxy();
            try (Engine first = engine(target, backend); Engine second = engine(target, backend)) {
                String table = table(target);
                SessionFactory sessions = SessionFactory.builder().bind(first).bind("second", second).build();
                String insert = "INSERT INTO " + table + " (marker) VALUES (:m)";
                AtomicInteger attempts = new AtomicInteger();
                proxy.cutReplyTo("COMMIT"); // binds commit in bind order: the default bind's COMMIT is the first
                assertThatThrownBy(() -> sessions.useTransaction(RETRY_DISCONNECTS, s -> {
                    attempts.incrementAndGet();
                    s.execute(insert, Map.of("m", "first"));
                    s.execute("second", insert, Map.of("m", "second"));
                })).isInstanceOfSatisfying(PartialCommitException.class, e -> {
                    assertThat(e.inDoubt()).as("in doubt").containsExactly("default");
                    assertThat(e.committed()).as("committed").isEmpty();
                    assertThat(e.rolledBack()).as("rolled back").containsExactly("second");
                    assertThat(e).hasCauseInstanceOf(CommitInDoubtException.class)
                            .hasMessageContaining("commit of bind 'default' is in doubt");
                });
                assertTheCommitWasCut(proxy);
                assertThat(attempts).as("attempts of the unit of work").hasValue(1);
                assertThat(rows(target, table, "first")).as("rows of the bind in doubt").isEqualTo(1);
                assertThat(rows(target, table, "second")).as("rows of the bind rolled back").isZero();
                assertThat(first.status().checkedOut() + second.status().checkedOut()).as("checked out").isZero();
            }
        }
    }
}
