package dev.athanor.pool.dbcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The provider's declaration, the knob-to-native mapping, and backend properties: passthrough and refusals. */
class DbcpPoolProviderTest {
    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private EngineBuilder builder() {
        return Engine.builder(db.url()).pool("dbcp").poolName("props");
    }

    private Engine build(EngineBuilder b) {
        Engine engine = b.build();
        engines.add(engine);
        return engine;
    }

    @Test
    void everyKnobIsDeclaredExact() {
        DbcpPoolProvider provider = new DbcpPoolProvider();
        assertThat(provider.name()).isEqualTo("dbcp");
        assertThat(provider.priority()).isEqualTo(200);
        assertThat(provider.capabilities().undeclared()).isEmpty();
        for (Knob knob : Knob.values()) {
            Capability c = provider.capabilities().get(knob);
            assertThat(c.fidelity()).as(knob.optionName()).isEqualTo(Fidelity.EXACT);
        }
    }

    @Test
    void theNativePoolNeverStandsInTheEnginesWay() {
        Engine engine = build(builder().poolSize(3).maxOverflow(4).poolTimeout(Duration.ofMillis(2500))
                .useLifo(true));
        GenericObjectPool<?> pool = engine.unwrap(GenericObjectPool.class);
        assertThat(pool.getMaxTotal()).as("the engine caps").isEqualTo(-1);
        assertThat(pool.getBlockWhenExhausted()).as("nobody waits inside pool2").isFalse();
        assertThat(pool.getMaxIdle()).isEqualTo(3);
        assertThat(pool.getMinIdle()).isZero();
        assertThat(pool.getLifo()).isTrue();
        assertThat(pool.getTestOnBorrow()).isFalse();
        assertThat(pool.getTestOnCreate()).isFalse();
        assertThat(pool.getTestOnReturn()).isFalse();
        assertThat(pool.getDurationBetweenEvictionRuns()).as("no evictor thread").isNegative();
        assertThat(pool.getJmxName()).as("no JMX bean").isNull();
        assertThat(pool.getNumIdle() + pool.getNumActive()).as("nothing opened up front").isZero();
        PoolableConnectionFactory factory = engine.unwrap(PoolableConnectionFactory.class);
        assertThat(factory.isRollbackOnReturn()).isFalse();
        assertThat(factory.isAutoCommitOnReturn()).isFalse();
        assertThat(factory.getDefaultAutoCommit()).isNull();
        assertThat(db.connectAttempts()).isZero();
        assertThat(build(builder().useLifo(false)).unwrap(GenericObjectPool.class).getLifo()).isFalse();
    }

    @Test
    void poolSizeZeroKeepsEveryIdleConnection() {
        GenericObjectPool<?> zero = build(builder().poolSize(0)).unwrap(GenericObjectPool.class);
        assertThat(List.of(zero.getMaxTotal(), zero.getMaxIdle())).containsExactly(-1, -1);
    }

    @Test
    void backendPropertiesOfEveryKindReachTheirNativeObject() {
        Engine engine = build(builder()
                .backendProperty("timeBetweenEvictionRunsMillis", "3600000")
                .backendProperty("minEvictableIdleTimeMillis", "120000")
                .backendProperty("softMinEvictableIdleTimeMillis", "60000")
                .backendProperty("numTestsPerEvictionRun", " 7 ")
                .backendProperty("testWhileIdle", "TRUE")
                .backendProperty("collectDetailedStatistics", "false")
                .backendProperty("validationQuery", "SELECT 1")
                .backendProperty("validationQueryTimeout", "4")
                .backendProperty("connectionInitSqls", "SET a = 1;SET b = 2"));
        GenericObjectPool<?> pool = engine.unwrap(GenericObjectPool.class);
        assertThat(pool.getDurationBetweenEvictionRuns()).isEqualTo(Duration.ofHours(1));
        assertThat(pool.getMinEvictableIdleDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(pool.getSoftMinEvictableIdleDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(pool.getNumTestsPerEvictionRun()).isEqualTo(7);
        assertThat(pool.getTestWhileIdle()).isTrue();
        assertThat(pool.getCollectDetailedStatistics()).isFalse();
        PoolableConnectionFactory factory = engine.unwrap(PoolableConnectionFactory.class);
        assertThat(factory.getValidationQuery()).isEqualTo("SELECT 1");
        assertThat(factory.getValidationQueryTimeoutDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(factory.getConnectionInitSqls()).containsExactly("SET a = 1", "SET b = 2");
    }

    @Test
    void anUnknownPropertyIsAnErrorListingTheAcceptedOnes() {
        assertThatThrownBy(() -> build(builder().backendProperty("leakDetectionThreshold", "5000")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("backend 'dbcp' has no backend property 'leakDetectionThreshold'")
                .hasMessageContaining("timeBetweenEvictionRunsMillis, validationQuery")
                .hasMessageContaining(DbcpPoolProvider.DOCS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxTotal|10|use poolSize and maxOverflow",
        "maxIdle|10|use poolSize",
        "minIdle|2|the pool starts empty",
        "initialSize|2|the pool starts empty",
        "maxWaitMillis|1000|use poolTimeout",
        "lifo|true|use useLifo",
        "testOnBorrow|true|use poolPrePing",
        "maxConnLifetimeMillis|60000|use poolRecycle",
        "defaultAutoCommit|true|auto-commit off",
        "rollbackOnReturn|false|use resetOnReturn",
        "defaultTransactionIsolation|2|use isolationLevel",
        "url|jdbc:h2:mem:x|use the engine URL",
        "password|secret|use the engine URL",
        "removeAbandonedOnBorrow|true|use leakDetection",
        "logAbandoned|true|use leakDetection",
        "poolPreparedStatements|true|not DBCP's wrapper",
        "defaultReadOnly|true|connectionInitSqls or connectArg",
        "disconnectionSqlCodes|57P01|the engine detects disconnects",
        "fairness|true|queues checkouts itself",
    })
    void aPropertyAnEngineOptionOwnsIsRefusedNamingTheOption(String name, String value, String expected) {
        assertThatThrownBy(() -> build(builder().backendProperty(name, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("backend 'dbcp' property '" + name + "' is set by the engine")
                .hasMessageContaining(expected);
    }

    @Test
    void badValuesAreReportedTogether() {
        assertThatThrownBy(() -> build(builder()
                .backendProperty("numTestsPerEvictionRun", "three")
                .backendProperty("testWhileIdle", "yes")
                .backendProperty("validationQuery", " ")
                .backendProperty("connectionInitSqls", " ; ")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "backend 'dbcp' property 'numTestsPerEvictionRun' must be an integer, was 'three'",
                        "backend 'dbcp' property 'testWhileIdle' must be true or false, was 'yes'",
                        "backend 'dbcp' property 'validationQuery' must be an SQL query, was ' '",
                        "backend 'dbcp' property 'connectionInitSqls' must be SQL statements separated by ';',"
                                + " was ' ; '"));
    }

    @Test
    void idleTestingWithoutTheEvictorIsRefused() {
        assertThatThrownBy(() -> build(builder().backendProperty("testWhileIdle", "true")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "backend 'dbcp' property 'testWhileIdle' needs the evictor: set"
                                + " timeBetweenEvictionRunsMillis > 0 as well"));
    }

    @Test
    void unwrapRefusesTypesTheBackendDoesNotHold() {
        Engine engine = build(builder());
        assertThat(engine.unwrap(DbcpPoolBackend.class)).isNotNull();
        assertThatThrownBy(() -> engine.unwrap(DataSource.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[props]").hasMessageContaining("GenericObjectPool");
    }
}
