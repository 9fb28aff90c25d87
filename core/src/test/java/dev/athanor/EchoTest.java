package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EchoTest {
    private final Logger sqlLogger = (Logger) LoggerFactory.getLogger("dev.athanor.sql");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previous;

    @BeforeEach
    void capture() {
        previous = sqlLogger.getLevel();
        sqlLogger.setLevel(Level.INFO);
        appender.start();
        sqlLogger.addAppender(appender);
    }

    @AfterEach
    void release() {
        sqlLogger.detachAppender(appender);
        sqlLogger.setLevel(previous);
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    @Test
    void echoLogsEachStatementWithItsDurationAndValues() {
        try (Engine e = Engine.builder("h2:mem:echo1").poolName("orders").echo(true).build()) {
            e.useConnection(c -> c.execute("SELECT :a + :b", Map.of("a", 1, "b", 2)).scalar());
        }
        assertThat(appender.list).singleElement().satisfies(ev -> assertThat(ev.getLevel()).isEqualTo(Level.INFO));
        assertThat(lines().get(0)).startsWith("[orders] SELECT :a + :b {a=1, b=2} (").endsWith(" ms)");
    }

    @Test
    void hideParametersKeepsValuesOutOfTheLog() {
        try (Engine e = Engine.builder("h2:mem:echo2").echo(true).hideParameters(true).build()) {
            e.useConnection(c -> c.execute("SELECT :secret", Map.of("secret", "Sekr1tValue")).scalar());
        }
        assertThat(lines()).singleElement().asString().contains("[parameters hidden]").doesNotContain("Sekr1tValue");
    }

    @Test
    void theEnginePasswordIsScrubbedFromEchoedValuesWhereverItWasGiven() {
        try (Engine e = Engine.builder("h2:mem:echo_secret_arg").echo(true).connectArg("user", "sa")
                .connectArg("password", "Sekr1tArg").build()) {
            e.useConnection(c -> c.execute("SELECT :v", Map.of("v", "Sekr1tArg")).scalar());
        }
        try (Engine e = Engine.builder("h2:mem:echo_secret_url;USER=sa;PASSWORD=Sekr1tUrl").echo(true).build()) {
            e.useConnection(c -> c.execute("SELECT :v", Map.of("v", "Sekr1tUrl")).scalar());
        }
        assertThat(lines()).hasSize(2).noneMatch(l -> l.contains("Sekr1t")).allMatch(l -> l.contains("{v=***}"));
    }

    @Test
    void batchesAreLoggedOnceWithTheirSize() {
        try (Engine e = Engine.builder("h2:mem:echo3").echo(true).build()) {
            e.useTransaction(c -> {
                c.execute("CREATE TABLE t (x INT)");
                c.executeMany("INSERT INTO t VALUES (:x)", List.of(Map.of("x", 1), Map.of("x", 2)));
            });
        }
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).contains("INSERT INTO t VALUES (:x) [batch of 2]");
    }

    @Test
    void withoutEchoNothingIsLogged() {
        try (Engine e = Engine.create("h2:mem:echo4")) {
            e.useConnection(c -> c.execute("SELECT 1").scalar());
        }
        assertThat(appender.list).isEmpty();
    }
    @Test
    void anExtensionsStatementsReadLikeTheEnginesOwn() {
        try (Engine e = Engine.builder("h2:mem:echo5").poolName("orders").echo(true).connectArg("user", "sa")
                .connectArg("password", "Sekr1tArg").build()) {
            e.useConnection(c -> c.execute("SELECT :a, :b", Map.of("a", 1, "b", "Sekr1tArg")).scalar());
            SqlEcho echo = e.sqlEcho();
            assertThat(echo.enabled()).isTrue();
            echo.statement("SELECT :a, :b", List.of("a", "b"), new Object[] {1, "Sekr1tArg"}, 1_234_567);
            echo.batch("INSERT INTO t VALUES (?)", 3, 2_000_000);
        }
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).startsWith("[orders] SELECT :a, :b {a=1, b=***} (");
        assertThat(lines().get(1)).isEqualTo("[orders] SELECT :a, :b {a=1, b=***} (1.235 ms)");
        assertThat(lines().get(2)).isEqualTo("[orders] INSERT INTO t VALUES (?) [batch of 3] (2.000 ms)");
    }

    @Test
    void anExtensionsEchoHonoursHiddenParametersAndAnEngineWithoutEcho() {
        try (Engine hidden = Engine.builder("h2:mem:echo6").poolName("h").echo(true).hideParameters(true).build();
             Engine quiet = Engine.builder("h2:mem:echo7").build()) {
            hidden.sqlEcho().statement("SELECT ?", List.of("?1"), new Object[0], 1_000);
            quiet.sqlEcho().statement("SELECT ?", List.of("?1"), new Object[] {"x"}, 1_000);
            quiet.sqlEcho().batch("SELECT ?", 2, 1_000);
            assertThat(quiet.sqlEcho().enabled()).isFalse();
        }
        assertThat(lines()).containsExactly("[h] SELECT ? [parameters hidden] (0.001 ms)");
    }
}
