package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineBuilderTest {

    @Test
    void everyProblemIsReportedInOneException() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () ->
                Engine.builder("h2:mem:cfg").poolSize(-3).maxOverflow(-5).poolTimeout(Duration.ofSeconds(-1))
                        .poolRecycle(Duration.ZERO).fetchSize(-1).build());
        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage())
                .contains("poolSize must be >= 0 (0 = no limit), was -3")
                .contains("maxOverflow must be >= -1 (-1 = unlimited), was -5")
                .contains("poolTimeout must be >= 0")
                .contains("poolRecycle must be positive")
                .contains("fetchSize must be >= 0");
    }

    @Test
    void anUnknownPoolListsTheAvailableOnes() {
        assertThatThrownBy(() -> Engine.builder("h2:mem:cfg").pool("hikary").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pool 'hikary' is not on the classpath; available: queue, null, static");
    }

    @Test
    void aKnobThePoolCannotHonourIsRefusedNamingWhoCan() {
        assertThatThrownBy(() -> Engine.builder("h2:mem:cfg").pool("null").poolSize(3).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("poolSize is not supported by pool 'null'")
                .hasMessageContaining("NullPool keeps no connections")
                .hasMessageContaining("pools on the classpath that support it: queue");
    }

    @Test
    void withOnlyCoreOnTheClasspathCoresQueuePoolIsChosen() {
        Engine e = Engine.create("h2:mem:demo");
        try {
            assertThat(e.backendName()).isEqualTo("queue");
            assertThat(e.status()).hasToString("Pool size: 5  Connections in pool: 0 Current Overflow: -5 Current "
                    + "Checked out connections: 0");
            int one = e.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
            assertThat(one).isEqualTo(1);
            assertThat(e.status()).as("the connection is kept for the next checkout").hasToString("Pool size: 5"
                    + "  Connections in pool: 1 Current Overflow: -4 Current Checked out connections: 0");
        } finally {
            e.close();
        }
    }

    @Test
    void staticPoolSharesOneConnection() {
        Engine e = Engine.builder("h2:mem:static_demo").pool("static").build();
        try (Connection a = e.connect(); Connection b = e.connect()) {
            a.execute("CREATE TABLE t (x INT)");
            a.execute("INSERT INTO t VALUES (1)");
            assertThat(b.execute("SELECT count(*) FROM t").scalar(Long.class)).isEqualTo(1L);
            assertThat(e.status()).hasToString("StaticPool");
            assertThat(e.status().checkedOut()).isEqualTo(2);
        } finally {
            e.close();
        }
    }

    @Test
    void aMissingDriverIsAConfigurationError() {
        // SQLite's driver is on the test class path (DdlExecutionTest); MySQL's is not, and the MariaDB driver
        // takes jdbc:mysql only with permitMysqlScheme.
        assertThatThrownBy(() -> Engine.create("mysql://root@127.0.0.1/x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no JDBC driver on the classpath accepts mysql URLs")
                .hasMessageContaining("com.mysql:mysql-connector-j");
    }

    @Test
    void fromConfigReadsPrefixedKeysInEitherCase() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("app.url", "h2:mem:fromconfig");
        config.put("app.pool", "static");
        config.put("app.echo", "true");
        config.put("app.hide_parameters", true);
        config.put("app.isolation_level", "read committed");
        config.put("app.connectArgs.MODE", "PostgreSQL");
        config.put("other.poolSize", "nonsense but not ours");
        Engine e = Engine.fromConfig(config, "app.");
        try {
            assertThat(e.backendName()).isEqualTo("static");
            int one = e.withConnection(c -> c.execute("SELECT 1").scalar(Integer.class));
            assertThat(one).isEqualTo(1);
        } finally {
            e.close();
        }
    }

    @Test
    void fromConfigReportsUnknownKeysAndBadValuesTogether() {
        Properties props = new Properties();
        props.setProperty("db.url", "h2:mem:x");
        props.setProperty("db.pool_sise", "5");
        props.setProperty("db.maxOverflow", "many");
        props.setProperty("db.poolTimeout", "soon");
        props.setProperty("db.resetOnReturn", "sometimes");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> Engine.fromConfig(props, "db."));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage())
                .contains("unknown option 'db.pool_sise'; known options after 'db.': url, pool, poolName, poolSize")
                .contains("db.maxOverflow must be a whole number, was 'many'")
                .contains("db.poolTimeout must be a duration")
                .contains("db.resetOnReturn must be one of ROLLBACK, COMMIT, NONE, was 'sometimes'");
    }

    @Test
    void fromConfigWithoutUrlSaysSo() {
        assertThatThrownBy(() -> Engine.fromConfig(Map.of("x.poolSize", "1"), "x."))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no 'x.url'");
    }

    @ParameterizedTest
    @CsvSource({"30, PT30S", "0.5, PT0.5S", "500ms, PT0.5S", "2m, PT2M", "PT1S, PT1S", "1.5s, PT1.5S", "1h, PT1H"})
    void durationsParseInSecondsWithUnitsOrIso(String text, String iso) {
        assertThat(EngineConfig.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void thePasswordNeverAppearsInConfigurationErrors() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () ->
                Engine.builder("postgresql://scott:Sekr1tPass@127.0.0.1:5432/test").poolSize(-1).pool("nope")
                        .build());
        assertThat(e.getMessage()).doesNotContain("Sekr1tPass").contains("scott:***@");
    }

    @Test
    void toStringMasksThePassword() {
        Engine e = Engine.builder("postgresql://scott:Sekr1tPass@127.0.0.1:5432/test").build();
        try {
            assertThat(e.toString()).doesNotContain("Sekr1tPass").contains("***");
            assertThat(e.url().toString()).doesNotContain("Sekr1tPass");
        } finally {
            e.close();
        }
    }

    @Test
    void controlCharactersInNamesAndKeysAreRefusedAndShownEscaped() {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> Engine.builder("h2:mem:cfg")
                .poolName("app\nFAKE LOG LINE").backendProperty("max\u0000Pool", "3").connectArg("ssl\rmode", "x")
                .build());
        assertThat(e).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("poolName must not be blank or hold control characters, was 'app\\u000aFAKE")
                .hasMessageContaining("backendProperty key must not be empty or hold control characters, was "
                        + "'max\\u0000Pool'")
                .hasMessageContaining("connectArg key must not be empty or hold control characters, was "
                        + "'ssl\\u000dmode'");
        assertThat(e.getMessage()).doesNotContain("\n", "\u0000", "\r");
    }

    @Test
    void controlCharactersInOtherUserTextAreEscapedInMessages() {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put("db.url", "h2:mem:cfg");
        config.put("db.no_such\noption", "1");
        config.put("db.pool_size", "many\nlines");
        assertThatThrownBy(() -> Engine.fromConfig(config, "db.")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'db.no_such\\u000aoption'").hasMessageContaining("'many\\u000alines'")
                .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        assertThatThrownBy(() -> Engine.builder("h2:mem:cfg").pool("hik\nari").build())
                .hasMessageContaining("pool 'hik\\u000aari' is not on the classpath")
                .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        try (Engine engine = Engine.builder("h2:mem:cfg_bind").build()) {
            assertThatThrownBy(() -> engine.useConnection(c -> c.execute("SELECT :a", Map.of("a", 1, "b\nc", 2))))
                    .isInstanceOf(StatementException.class).hasMessageContaining(":b\\u000ac")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");
        }
    }
}
