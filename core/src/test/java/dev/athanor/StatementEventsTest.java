package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.athanor.testing.LogCapture;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Statement listeners and the slow-query log. */
class StatementEventsTest {
    /** Records each event as "before"/"after" with what it carried at that moment. */
    static final class Recorder implements StatementListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<StatementEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void beforeStatement(StatementEvent s) {
            calls.add("before " + s.sql() + " elapsed=" + s.elapsedNanos());
            events.add(s);
        }

        @Override
        public void afterStatement(StatementEvent s) {
            calls.add("after " + s.sql() + " rows=" + s.rowCount() + " failed=" + (s.failure() != null));
            assertThat(events).contains(s); // the same event object for both calls
        }
    }

    @Test
    void listenersSeeEachStatementBeforeAndAfterWithNamesValuesRowsAndDuration() {
        Recorder r = new Recorder();
        try (Engine e = Engine.builder("h2:mem:stmt_events1").poolName("orders").build()) {
            e.addStatementListener(r);
            e.useTransaction(c -> {
                c.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
                c.execute("INSERT INTO t VALUES (:id, :name)", Map.of("id", 1, "name", "ann"));
                c.execute("SELECT name FROM t WHERE id = ?", 1).scalar();
                c.executeMany("INSERT INTO t VALUES (:id, :name)", List.of(Map.of("id", 2, "name", "bo"),
                        Map.of("id", 3, "name", "cy")));
            });
        }
        assertThat(r.calls).containsExactly(
                "before CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)) elapsed=-1",
                "after CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20)) rows=0 failed=false",
                "before INSERT INTO t VALUES (:id, :name) elapsed=-1",
                "after INSERT INTO t VALUES (:id, :name) rows=1 failed=false",
                "before SELECT name FROM t WHERE id = ? elapsed=-1",
                "after SELECT name FROM t WHERE id = ? rows=-1 failed=false",
                "before INSERT INTO t VALUES (:id, :name) elapsed=-1",
                "after INSERT INTO t VALUES (:id, :name) rows=2 failed=false");
        StatementEvent insert = r.events.get(1);
        assertThat(insert.engineName()).isEqualTo("orders");
        assertThat(insert.parameterNames()).containsExactly("id", "name");
        assertThat(insert.parameterValues()).containsExactly(1, "ann");
        assertThat(insert.elapsedNanos()).isPositive();
        assertThat(insert.elapsed()).isEqualTo(Duration.ofNanos(insert.elapsedNanos()));
        assertThat(r.events.get(2).parameterNames()).containsExactly("?1");
        StatementEvent batch = r.events.get(3);
        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.parameterValues()).isEmpty();
    }

    @Test
    void aFailedStatementCarriesItsExceptionAndHiddenParametersCarryNoValues() {
        Recorder r = new Recorder();
        try (Engine e = Engine.builder("h2:mem:stmt_events2").hideParameters(true).build()) {
            e.addStatementListener(r);
            assertThatThrownBy(() -> e.useConnection(c -> c.execute("SELECT * FROM missing WHERE id = :id",
                    Map.of("id", "Sekr1t")))).isInstanceOf(StatementException.class);
            assertThat(e.removeStatementListener(r)).isTrue();
            e.useConnection(c -> c.execute("SELECT 1").scalar());
        }
        assertThat(r.calls).hasSize(2).last().asString().endsWith("failed=true");
        StatementEvent failed = r.events.get(0);
        assertThat(failed.failure()).isInstanceOf(StatementException.class);
        assertThat(failed.parametersHidden()).isTrue();
        assertThat(failed.parameterNames()).containsExactly("id");
        assertThat(failed.parameterValues()).isEmpty();
        assertThat(failed.toString()).doesNotContain("Sekr1t").doesNotContain("missing");
    }

    @Test
    void aBatchRowThatDoesNotBindEndsTheEventWithItsFailureAndTheConnectionGoesOn() {
        Recorder r = new Recorder();
        try (Engine e = Engine.builder("h2:mem:stmt_events_bind").build()) {
            e.addStatementListener(r);
            e.useConnection(c -> {
                c.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
                assertThatThrownBy(() -> c.executeMany("INSERT INTO t VALUES (:id, :name)",
                        List.of(Map.of("id", 1, "name", "ann"), Map.of("id", 2))))
                        .isInstanceOf(StatementException.class).hasMessageContaining("missing value for parameter");
                assertThat(c.execute("SELECT COUNT(*) FROM t").scalar(Long.class)).isZero();
                c.commit();
            });
            assertThat(e.status().checkedOut()).isZero();
        }
        assertThat(r.calls).containsSubsequence("before INSERT INTO t VALUES (:id, :name) elapsed=-1",
                "after INSERT INTO t VALUES (:id, :name) rows=-1 failed=true");
        assertThat(r.events.get(1).failure()).isInstanceOf(StatementException.class);
        assertThat(r.events.get(1).elapsedNanos()).isNotNegative();
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheStatementRunsOn() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.sql");
             Engine e = Engine.builder("h2:mem:stmt_events3").build()) {
            e.addStatementListener(new StatementListener() {
                @Override
                public void beforeStatement(StatementEvent s) {
                    throw new IllegalStateException("listener bug");
                }
            });
            int answer = e.withConnection(c -> c.execute("SELECT 41 + 1").scalar(Integer.class));
            assertThat(answer).isEqualTo(42);
            assertThat(log.warnings()).singleElement().asString().contains("statement listener failed in"
                    + " beforeStatement");
        }
    }

    @Test
    void statementsAtOrAboveTheSlowQueryThresholdAreLoggedAtWarnWithTheirValues() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.sql");
             Engine slow = Engine.builder("h2:mem:stmt_slow1").poolName("slow").slowQueryThreshold(Duration.ofNanos(1))
                     .build();
             Engine fast = Engine.builder("h2:mem:stmt_slow2").slowQueryThreshold(Duration.ofHours(1)).build()) {
            slow.useConnection(c -> c.execute("SELECT :a", Map.of("a", 7)).scalar());
            fast.useConnection(c -> c.execute("SELECT :a", Map.of("a", 8)).scalar());
            assertThat(log.events()).singleElement().satisfies(ev -> {
                assertThat(ev.getLevel()).isEqualTo(Level.WARN);
                assertThat(ev.getFormattedMessage()).startsWith("[slow] slow statement (")
                        .contains("slowQueryThreshold PT0.000000001S): SELECT :a {a=7}");
            });
        }
    }

    @Test
    void theSlowQueryLogHidesValuesAndPasswords() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.sql");
             Engine hidden = Engine.builder("h2:mem:stmt_slow3").hideParameters(true)
                     .slowQueryThreshold(Duration.ofNanos(1)).build();
             Engine secret = Engine.builder("h2:mem:stmt_slow4").connectArg("user", "sa")
                     .connectArg("password", "pw-Sekr1t").slowQueryThreshold(Duration.ofNanos(1)).build()) {
            hidden.useConnection(c -> c.execute("SELECT :v", Map.of("v", "Sekr1tValue")).scalar());
            secret.useConnection(c -> c.execute("SELECT :v", Map.of("v", "pw-Sekr1t")).scalar());
            assertThat(log.warnings()).hasSize(2).noneMatch(m -> m.contains("Sekr1t"));
            assertThat(log.warnings().get(0)).contains("[parameters hidden]");
        }
    }
}
