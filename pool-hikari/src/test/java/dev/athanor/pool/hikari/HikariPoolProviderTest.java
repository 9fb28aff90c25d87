package dev.athanor.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.stub.StubDatabase;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Selection, declared capabilities, the HikariCP configuration and backend-property validation. */
class HikariPoolProviderTest {
    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private EngineBuilder builder() {
        return Engine.builder(db.url()).pool("hikari").poolName(TestDatabase.uniqueName("hikari_cfg"));
    }

    private Engine build(EngineBuilder builder) {
        Engine engine = builder.build();
        engines.add(engine);
        return engine;
    }

    @Test
    void isTheDefaultPoolWhenOnTheClasspath() {
        Engine engine = build(Engine.builder(db.url()));
        assertThat(engine.backendName()).isEqualTo("hikari");
        assertThat(new HikariPoolProvider().priority()).isEqualTo(300);
    }

    @Test
    void declaresEveryKnobExactExceptUseLifo() {
        Capabilities caps = new HikariPoolProvider().capabilities();
        assertThat(caps.undeclared()).isEmpty();
        for (Knob knob : Knob.values()) {
            assertThat(caps.get(knob).fidelity()).as(knob.name())
                    .isEqualTo(knob == Knob.USE_LIFO ? Fidelity.UNSUPPORTED : Fidelity.EXACT);
        }
    }

    @Test
    void useLifoIsRefusedAtBuildEitherWay() {
        for (boolean lifo : new boolean[] {true, false}) {
            assertThatThrownBy(() -> builder().useLifo(lifo).build()).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("useLifo is not supported by pool 'hikari'")
                    .hasMessageContaining("neither FIFO nor LIFO");
        }
    }

    @Test
    void hikariIsConfiguredToStartEmptyAndLeaveValidationRecycleAndResetToTheEngine() {
        Engine engine = build(builder().poolTimeout(Duration.ofMillis(100)));
        HikariDataSource hikari = engine.unwrap(HikariDataSource.class);
        assertThat(hikari.getPoolName()).isEqualTo(engine.name());
        assertThat(hikari.getMaximumPoolSize()).isEqualTo(15);
        assertThat(hikari.getMinimumIdle()).isZero();
        assertThat(hikari.getInitializationFailTimeout()).isEqualTo(-1);
        assertThat(hikari.isAutoCommit()).isFalse();
        assertThat(hikari.getMaxLifetime()).isZero();
        assertThat(hikari.getIdleTimeout()).isZero();
        assertThat(hikari.getKeepaliveTime()).isZero();
        assertThat(hikari.getConnectionTimeout()).as("HikariCP's floor, the slice a checkout waits for a connect;"
                + " the engine waits 100 ms for a slot").isEqualTo(250);
        assertThat(db.connectAttempts()).as("starting HikariCP opens nothing").isZero();
    }

    @Test
    void aDatabaseThatIsDownFailsNeitherBuildNorStart() {
        db.down(true);
        Engine engine = build(builder());
        assertThat(engine.unwrap(HikariDataSource.class).isRunning()).isTrue();
        assertThat(db.connectAttempts()).isZero();
    }

    @Test
    void acceptedBackendPropertiesReachHikari() {
        Engine engine = build(builder()
                .backendProperty("leakDetectionThreshold", "5000")
                .backendProperty("registerMbeans", "false")
                .backendProperty("connectionInitSql", "SELECT 1"));
        HikariDataSource hikari = engine.unwrap(HikariDataSource.class);
        assertThat(hikari.getLeakDetectionThreshold()).isEqualTo(5000);
        assertThat(hikari.isRegisterMbeans()).isFalse();
        assertThat(hikari.getConnectionInitSql()).as("run and committed by the store, not HikariCP").isNull();
    }

    @Test
    void anUnknownPropertyIsAnErrorListingTheAcceptedOnes() {
        assertThatThrownBy(() -> builder().backendProperty("leakDetectionTreshold", "5000").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'leakDetectionTreshold' is not a HikariCP setting")
                .hasMessageContaining("accepted: leakDetectionThreshold, connectionInitSql");
    }

    @Test
    void propertiesAnEngineOptionOwnsAreRefusedNamingTheOptionToUse() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("maximumPoolSize", "set poolSize and maxOverflow"),
                Map.entry("minimumIdle", "set poolSize"),
                Map.entry("connectionTimeout", "set poolTimeout"),
                Map.entry("maxLifetime", "set poolRecycle"),
                Map.entry("connectionTestQuery", "set poolPrePing"),
                Map.entry("autoCommit", "auto-commit off"),
                Map.entry("transactionIsolation", "set isolationLevel"),
                Map.entry("jdbcUrl", "connectArg"),
                Map.entry("readOnly", "connectArg"),
                Map.entry("schema", "undone at the first return"),
                Map.entry("dataSource.cachePrepStmts", "connectArg"),
                Map.entry("idleTimeout", "poolRecycle"),
                Map.entry("allowPoolSuspension", "without poolTimeout"));
        expected.forEach((property, hint) ->
                assertThatThrownBy(() -> builder().backendProperty(property, "1").build())
                        .as(property)
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("'" + property + "' is not accepted by pool 'hikari'")
                        .hasMessageContaining(hint));
    }

    @Test
    void badValuesAreErrorsAndEveryProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> builder()
                .backendProperty("leakDetectionThreshold", "soon")
                .backendProperty("registerMbeans", "maybe")
                .backendProperty("connectionInitSql", " ")
                .backendProperty("maximumPoolSize", "4")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(4))
                .hasMessageContaining("'leakDetectionThreshold' must be a whole number of milliseconds")
                .hasMessageContaining("'registerMbeans' must be true or false, was 'maybe'")
                .hasMessageContaining("'connectionInitSql' must not be blank")
                .hasMessageContaining("'maximumPoolSize' is not accepted");
    }

    @Test
    void valuesHikariWouldSilentlyCorrectAreRefused() {
        assertThatThrownBy(() -> builder().backendProperty("leakDetectionThreshold", "500").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("0 (off) or at least 2000 ms");
        assertThatThrownBy(() -> builder().poolName("a:b").backendProperty("registerMbeans", "true").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("poolName without ':'");
    }
}
