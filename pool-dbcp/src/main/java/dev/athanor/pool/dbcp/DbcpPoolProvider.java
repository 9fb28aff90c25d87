package dev.athanor.pool.dbcp;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * {@code dbcp}, priority 200 (the default without HikariCP): DBCP2 connections in a commons-pool2
 * {@code GenericObjectPool}, a store under the engine's pool rules ({@link DbcpPoolBackend} says how it is set up).
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://scott:tiger@localhost/test")
 *         .pool("dbcp").poolSize(5).maxOverflow(10)
 *         .backendProperty("timeBetweenEvictionRunsMillis", "60000")   // DBCP's own setting, passed through
 *         .build();
 * GenericObjectPool<?> pool = engine.unwrap(GenericObjectPool.class);
 * }</pre>
 *
 * <p>Backend properties take DBCP's names ({@value #DOCS}): the evictor ({@code timeBetweenEvictionRunsMillis},
 * {@code testWhileIdle}, {@code validationQuery}, …), {@code connectionInitSqls} and monitoring ({@code jmxEnabled},
 * …). A setting an engine option owns, or one that acts through DBCP's connection wrapper, which borrowers never use
 * (statement pooling, {@code defaultReadOnly}, …), is refused naming the option to use instead.
 */
public final class DbcpPoolProvider implements PoolProvider {
    /** The name engines select this backend by. */
    public static final String NAME = "dbcp";
    static final String DOCS = "https://commons.apache.org/proper/commons-dbcp/configuration.html";
    private static final Capabilities CAPABILITIES = Capabilities.builder().allExact().build();
    /** DBCP settings an engine option owns, with that option. */
    private static final Map<String, String> ENGINE_OWNED = new HashMap<>();
    /** Accepted properties, sorted for the error message, with the form of their value. */
    private static final Map<String, String> ACCEPTED = new TreeMap<>();

    static {
        owned("poolSize and maxOverflow (at most poolSize + maxOverflow connections exist)", "maxTotal maxActive");
        owned("poolSize (the most idle connections kept)", "maxIdle");
        owned("nothing: the pool starts empty and opens connections on demand, poolSize sets how many stay idle",
                "minIdle initialSize");
        owned("poolTimeout", "maxWait maxWaitMillis maxWaitDuration blockWhenExhausted");
        owned("useLifo", "lifo");
        owned("poolPrePing (the engine tests connections at checkout)", "testOnBorrow testOnCreate testOnReturn");
        owned("poolRecycle", "maxConnLifetimeMillis maxConn logExpiredConnections");
        owned("nothing: Athanor hands connections out with auto-commit off and begins transactions itself",
                "defaultAutoCommit");
        owned("resetOnReturn", "rollbackOnReturn autoCommitOnReturn enableAutoCommitOnReturn");
        owned("isolationLevel", "defaultTransactionIsolation");
        owned("the engine URL and connectArg(...)",
                "url driverClassName username password connectionProperties connectionFactoryClassName");
        owned("connectTimeout", "loginTimeout");
        owned("leakDetection", "removeAbandonedOnBorrow removeAbandonedOnMaintenance removeAbandonedTimeout"
                + " logAbandoned abandonedUsageTracking requireFullStackTrace");
        owned("nothing: Connection.jdbc().unwrap(...) always reaches the driver's connection",
                "accessToUnderlyingConnectionAllowed");
        owned("nothing: borrowers use the engine's connection, not DBCP's wrapper (the engine detects disconnects"
                + " and queues checkouts itself; set session defaults with connectionInitSqls or connectArg(...))",
                "poolPreparedStatements maxOpenPreparedStatements clearStatementPoolOnReturn defaultQueryTimeout"
                + " defaultReadOnly defaultCatalog defaultSchema cacheState fastFailValidation disconnectionSqlCodes"
                + " disconnectionIgnoreSqlCodes fairness");
        // What each accepted property must be; apply(...) sets it.
        accepted("a number of milliseconds",
                "timeBetweenEvictionRunsMillis minEvictableIdleTimeMillis softMinEvictableIdleTimeMillis");
        accepted("true or false", "testWhileIdle collectDetailedStatistics jmxEnabled");
        accepted("an integer", "numTestsPerEvictionRun");
        accepted("an SQL query", "validationQuery");
        accepted("a number of seconds", "validationQueryTimeout");
        accepted("SQL statements separated by ';'", "connectionInitSqls");
        accepted("a name", "jmxNamePrefix");
    }

    /** Refuses unknown backend properties, those an engine option owns, and values of the wrong form. */
    @Override
    public List<String> validate(PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        GenericObjectPoolConfig<PoolableConnection> scratch = new GenericObjectPoolConfig<>();
        PoolableConnectionFactory factory = new PoolableConnectionFactory(null, null);
        String prefix = "backend '" + NAME + "' ";
        spec.backendProperties().forEach((name, value) -> {
            if (ENGINE_OWNED.containsKey(name)) {
                problems.add(prefix + "property '" + name + "' is set by the engine: use " + ENGINE_OWNED.get(name)
                        + " instead");
            } else if (!ACCEPTED.containsKey(name)) {
                problems.add(prefix + "has no backend property '" + name + "'; accepted: "
                        + String.join(", ", ACCEPTED.keySet()) + " (see " + DOCS + ")");
            } else {
                try {
                    apply(name, value.trim(), scratch, factory);
                } catch (IllegalArgumentException e) {
                    problems.add(prefix + "property '" + name + "' must be " + ACCEPTED.get(name) + ", was '" + value
                            + "'");
                }
            }
        });
        if (scratch.getTestWhileIdle() && scratch.getDurationBetweenEvictionRuns().compareTo(Duration.ZERO) <= 0) {
            problems.add(prefix + "property 'testWhileIdle' needs the evictor: set timeBetweenEvictionRunsMillis > 0"
                    + " as well");
        }
        return problems;
    }

    /** Applies one property, trimmed, with the setter of the object it belongs to. */
    static void apply(String name, String v, GenericObjectPoolConfig<PoolableConnection> config,
                      PoolableConnectionFactory factory) {
        switch (name) {
            case "timeBetweenEvictionRunsMillis" -> config.setTimeBetweenEvictionRuns(millis(v));
            case "numTestsPerEvictionRun" -> config.setNumTestsPerEvictionRun(Integer.parseInt(v));
            case "minEvictableIdleTimeMillis" -> config.setMinEvictableIdleDuration(millis(v));
            case "softMinEvictableIdleTimeMillis" -> config.setSoftMinEvictableIdleDuration(millis(v));
            case "testWhileIdle" -> config.setTestWhileIdle(bool(v));
            case "validationQuery" -> factory.setValidationQuery(text(v));
            case "validationQueryTimeout" -> factory.setValidationQueryTimeout(Duration.ofSeconds(Long.parseLong(v)));
            case "connectionInitSqls" -> factory.setConnectionInitSql(statements(v));
            case "collectDetailedStatistics" -> config.setCollectDetailedStatistics(bool(v));
            case "jmxEnabled" -> config.setJmxEnabled(bool(v));
            case "jmxNamePrefix" -> config.setJmxNamePrefix(text(v));
            default -> throw new IllegalStateException("backend property '" + name + "' was not validated");
        }
    }

    private static void owned(String engineOption, String names) {
        Arrays.stream(names.split(" ")).forEach(name -> ENGINE_OWNED.put(name, engineOption));
    }

    private static void accepted(String form, String names) {
        Arrays.stream(names.split(" ")).forEach(name -> ACCEPTED.put(name, form));
    }

    private static boolean bool(String s) {
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException();
        }
        return Boolean.parseBoolean(s);
    }

    private static Duration millis(String s) {
        return Duration.ofMillis(Long.parseLong(s));
    }

    private static String text(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException();
        }
        return s;
    }

    private static List<String> statements(String s) {
        List<String> items = Arrays.stream(s.split(";")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        text(String.join("", items));
        return items;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new DbcpPoolBackend(spec, source);
    }
}
