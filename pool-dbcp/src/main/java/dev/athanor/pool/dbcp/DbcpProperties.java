package dev.athanor.pool.dbcp;

import dev.athanor.spi.PoolSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The {@code backendProperty(...)} names the dbcp backend accepts, under DBCP's own configuration names
 * ({@value #DOCS}), each applied with the setter of the object it belongs to. A DBCP setting an engine option owns,
 * or one that cannot act under the engine, is refused naming the option to use instead.
 */
final class DbcpProperties {
    static final String DOCS = "https://commons.apache.org/proper/commons-dbcp/configuration.html";

    /** DBCP settings an engine option owns, with that option. */
    private static final Map<String, String> ENGINE_OWNED = new LinkedHashMap<>();
    /** Accepted properties, sorted for the error message, with the form of their value. */
    private static final Map<String, String> ACCEPTED = new TreeMap<>();

    static {
        owned("poolSize and maxOverflow (at most poolSize + maxOverflow connections exist)", "maxTotal", "maxActive");
        owned("poolSize (the most idle connections kept)", "maxIdle");
        owned("nothing: the pool starts empty and opens connections on demand, poolSize sets how many stay idle",
                "minIdle", "initialSize");
        owned("poolTimeout", "maxWait", "maxWaitMillis", "maxWaitDuration", "blockWhenExhausted");
        owned("useLifo", "lifo");
        owned("poolPrePing (the engine tests connections at checkout)", "testOnBorrow", "testOnCreate",
                "testOnReturn");
        owned("poolRecycle", "maxConnLifetimeMillis", "maxConn", "logExpiredConnections");
        owned("nothing: Athanor hands connections out with auto-commit off and begins transactions itself",
                "defaultAutoCommit");
        owned("resetOnReturn", "rollbackOnReturn", "autoCommitOnReturn", "enableAutoCommitOnReturn");
        owned("isolationLevel", "defaultTransactionIsolation");
        owned("the engine URL and connectArg(...)", "url", "driverClassName", "username", "password",
                "connectionProperties", "connectionFactoryClassName");
        owned("connectTimeout", "loginTimeout");
        owned("leakDetection", "removeAbandonedOnBorrow", "removeAbandonedOnMaintenance", "removeAbandonedTimeout",
                "logAbandoned", "abandonedUsageTracking", "requireFullStackTrace");
        owned("nothing: Connection.jdbc().unwrap(...) always reaches the driver's connection",
                "accessToUnderlyingConnectionAllowed");
        owned("nothing: borrowers use the engine's connection, not DBCP's wrapper (the engine detects disconnects"
                + " and queues checkouts itself; set session defaults with connectionInitSqls or connectArg(...))",
                "poolPreparedStatements", "maxOpenPreparedStatements", "clearStatementPoolOnReturn",
                "defaultQueryTimeout", "defaultReadOnly", "defaultCatalog", "defaultSchema", "cacheState",
                "fastFailValidation", "disconnectionSqlCodes", "disconnectionIgnoreSqlCodes", "fairness");
        // What each accepted property must be; set(...) applies it.
        accepted("a number of milliseconds", "timeBetweenEvictionRunsMillis", "minEvictableIdleTimeMillis",
                "softMinEvictableIdleTimeMillis");
        accepted("true or false", "testWhileIdle", "collectDetailedStatistics", "jmxEnabled");
        accepted("an integer", "numTestsPerEvictionRun");
        accepted("an SQL query", "validationQuery");
        accepted("a number of seconds", "validationQueryTimeout");
        accepted("SQL statements separated by ';'", "connectionInitSqls");
        accepted("a name", "jmxNamePrefix");
    }

    private DbcpProperties() {
    }

    /** Every problem with the spec's backend properties; empty when all of them can be applied. */
    static List<String> problems(String backend, PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        GenericObjectPoolConfig<PoolableConnection> scratch = new GenericObjectPoolConfig<>();
        PoolableConnectionFactory factory = new PoolableConnectionFactory(null, null);
        String prefix = "backend '" + backend + "' ";
        spec.backendProperties().forEach((name, value) -> {
            if (ENGINE_OWNED.containsKey(name)) {
                problems.add(prefix + "property '" + name + "' is set by the engine: use " + ENGINE_OWNED.get(name)
                        + " instead");
            } else if (!ACCEPTED.containsKey(name)) {
                problems.add(prefix + "has no backend property '" + name + "'; accepted: "
                        + String.join(", ", ACCEPTED.keySet()) + " (see " + DOCS + ")");
            } else {
                try {
                    set(name, value.trim(), scratch, factory);
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

    /** Applies validated properties. */
    static void apply(Map<String, String> properties, GenericObjectPoolConfig<PoolableConnection> config,
                      PoolableConnectionFactory factory) {
        properties.forEach((name, value) -> set(name, value.trim(), config, factory));
    }

    private static void set(String name, String v, GenericObjectPoolConfig<PoolableConnection> config,
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

    private static void owned(String engineOption, String... names) {
        Arrays.stream(names).forEach(name -> ENGINE_OWNED.put(name, engineOption));
    }

    private static void accepted(String form, String... names) {
        Arrays.stream(names).forEach(name -> ACCEPTED.put(name, form));
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
}
