package dev.athanor.pool.dbcp;

import dev.athanor.spi.PoolSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringTokenizer;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.pool2.impl.AbandonedConfig;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The {@code backendProperty(...)} names the dbcp backend accepts, each applied to the DBCP or commons-pool2 object
 * it belongs to with that object's setter, under the names DBCP's own configuration uses ({@value #DOCS}). Settings
 * that an Athanor knob owns are refused with the engine option to use instead.
 */
final class DbcpProperties {
    static final String DOCS = "https://commons.apache.org/proper/commons-dbcp/configuration.html";

    private static final String RECYCLE = "poolRecycle";
    private static final String PRE_PING = "poolPrePing (the engine tests connections at checkout)";
    private static final String TIMEOUT = "poolTimeout";
    private static final String URL = "the engine URL and connectArg(...)";
    private static final String RESET = "resetOnReturn";

    /** DBCP settings an engine option owns, with that option. */
    private static final Map<String, String> ENGINE_OWNED = new LinkedHashMap<>();
    /** Accepted properties by name, sorted for the error message. */
    private static final Map<String, Property<?>> PROPERTIES = new TreeMap<>();

    static {
        owned("poolSize and maxOverflow (at most poolSize + maxOverflow connections exist)", "maxTotal", "maxActive");
        owned("poolSize (the most idle connections kept)", "maxIdle");
        owned("nothing: the pool starts empty and opens connections on demand, poolSize sets how many stay idle",
                "minIdle", "initialSize");
        owned(TIMEOUT, "maxWait", "maxWaitMillis", "maxWaitDuration", "blockWhenExhausted");
        owned("useLifo", "lifo");
        owned(PRE_PING, "testOnBorrow", "testOnCreate", "testOnReturn");
        owned(RECYCLE, "maxConnLifetimeMillis", "maxConn", "logExpiredConnections");
        owned("nothing: Athanor hands connections out with auto-commit off and begins transactions itself",
                "defaultAutoCommit");
        owned(RESET, "rollbackOnReturn", "autoCommitOnReturn", "enableAutoCommitOnReturn");
        owned("isolationLevel", "defaultTransactionIsolation");
        owned(URL, "url", "driverClassName", "username", "password", "connectionProperties",
                "connectionFactoryClassName");
        owned("connectTimeout", "loginTimeout");
        owned("nothing: Connection.jdbc().unwrap(...) always reaches the driver's connection",
                "accessToUnderlyingConnectionAllowed");

        // commons-pool2: the idle-connection evictor (off unless timeBetweenEvictionRunsMillis > 0) and the pool.
        add(new Property<>("timeBetweenEvictionRunsMillis", "a number of milliseconds", DbcpProperties::millis,
                (t, v) -> t.config.setTimeBetweenEvictionRuns(v)));
        add(new Property<>("numTestsPerEvictionRun", "an integer", DbcpProperties::integer,
                (t, v) -> t.config.setNumTestsPerEvictionRun(v)));
        add(new Property<>("minEvictableIdleTimeMillis", "a number of milliseconds", DbcpProperties::millis,
                (t, v) -> t.config.setMinEvictableIdleDuration(v)));
        add(new Property<>("softMinEvictableIdleTimeMillis", "a number of milliseconds", DbcpProperties::millis,
                (t, v) -> t.config.setSoftMinEvictableIdleDuration(v)));
        add(new Property<>("testWhileIdle", "true or false", DbcpProperties::bool,
                (t, v) -> t.config.setTestWhileIdle(v)));
        add(new Property<>("fairness", "true or false", DbcpProperties::bool, (t, v) -> t.config.setFairness(v)));
        add(new Property<>("collectDetailedStatistics", "true or false", DbcpProperties::bool,
                (t, v) -> t.config.setCollectDetailedStatistics(v)));
        add(new Property<>("jmxEnabled", "true or false", DbcpProperties::bool, (t, v) -> t.config.setJmxEnabled(v)));
        add(new Property<>("jmxNamePrefix", "a name", DbcpProperties::text, (t, v) -> t.config.setJmxNamePrefix(v)));

        // commons-pool2: abandoned-connection tracking (no AbandonedConfig unless one of these is set).
        add(new Property<>("removeAbandonedOnBorrow", "true or false", DbcpProperties::bool,
                (t, v) -> t.abandoned().setRemoveAbandonedOnBorrow(v)));
        add(new Property<>("removeAbandonedOnMaintenance", "true or false", DbcpProperties::bool,
                (t, v) -> t.abandoned().setRemoveAbandonedOnMaintenance(v)));
        add(new Property<>("removeAbandonedTimeout", "a number of seconds", DbcpProperties::seconds,
                (t, v) -> t.abandoned().setRemoveAbandonedTimeout(v)));
        add(new Property<>("logAbandoned", "true or false", DbcpProperties::bool,
                (t, v) -> t.abandoned().setLogAbandoned(v)));
        add(new Property<>("abandonedUsageTracking", "true or false", DbcpProperties::bool,
                (t, v) -> t.abandoned().setUseUsageTracking(v)));
        add(new Property<>("requireFullStackTrace", "true or false", DbcpProperties::bool,
                (t, v) -> t.abandoned().setRequireFullStackTrace(v)));

        // DBCP: the PoolableConnectionFactory.
        add(new Property<>("validationQuery", "an SQL query", DbcpProperties::text,
                (t, v) -> t.factory.setValidationQuery(v)));
        add(new Property<>("validationQueryTimeout", "a number of seconds", DbcpProperties::seconds,
                (t, v) -> t.factory.setValidationQueryTimeout(v)));
        add(new Property<>("connectionInitSqls", "SQL statements separated by ';'", s -> list(s, ';'),
                (t, v) -> t.factory.setConnectionInitSql(v)));
        add(new Property<>("poolPreparedStatements", "true or false", DbcpProperties::bool,
                (t, v) -> t.factory.setPoolStatements(v)));
        add(new Property<>("maxOpenPreparedStatements", "an integer", DbcpProperties::integer,
                (t, v) -> t.factory.setMaxOpenPreparedStatements(v)));
        add(new Property<>("clearStatementPoolOnReturn", "true or false", DbcpProperties::bool,
                (t, v) -> t.factory.setClearStatementPoolOnReturn(v)));
        add(new Property<>("fastFailValidation", "true or false", DbcpProperties::bool,
                (t, v) -> t.factory.setFastFailValidation(v)));
        add(new Property<>("disconnectionSqlCodes", "SQL states separated by ','", s -> list(s, ','),
                (t, v) -> t.factory.setDisconnectionSqlCodes(v)));
        add(new Property<>("disconnectionIgnoreSqlCodes", "SQL states separated by ','", s -> list(s, ','),
                (t, v) -> t.factory.setDisconnectionIgnoreSqlCodes(v)));
        add(new Property<>("defaultReadOnly", "true or false", DbcpProperties::bool,
                (t, v) -> t.factory.setDefaultReadOnly(v)));
        add(new Property<>("defaultCatalog", "a catalog name", DbcpProperties::text,
                (t, v) -> t.factory.setDefaultCatalog(v)));
        add(new Property<>("defaultSchema", "a schema name", DbcpProperties::text,
                (t, v) -> t.factory.setDefaultSchema(v)));
        add(new Property<>("defaultQueryTimeout", "a number of seconds", DbcpProperties::seconds,
                (t, v) -> t.factory.setDefaultQueryTimeout(v)));
        add(new Property<>("cacheState", "true or false", DbcpProperties::bool, (t, v) -> t.factory.setCacheState(v)));
    }

    private DbcpProperties() {
    }

    /** The native objects properties are applied to. */
    static final class Targets {
        final GenericObjectPoolConfig<PoolableConnection> config;
        final PoolableConnectionFactory factory;
        private AbandonedConfig abandoned;

        Targets(GenericObjectPoolConfig<PoolableConnection> config, PoolableConnectionFactory factory) {
            this.config = config;
            this.factory = factory;
        }

        /** The abandoned-connection settings, made on first use. */
        AbandonedConfig abandoned() {
            if (abandoned == null) {
                abandoned = new AbandonedConfig();
            }
            return abandoned;
        }

        /** Null unless an abandoned-connection property was applied. */
        AbandonedConfig abandonedOrNull() {
            return abandoned;
        }
    }

    /** The accepted property names, sorted. */
    static List<String> names() {
        return List.copyOf(PROPERTIES.keySet());
    }

    /** Every problem with the spec's backend properties; empty when all of them can be applied. */
    static List<String> problems(String backend, PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        Targets scratch = new Targets(new GenericObjectPoolConfig<>(), new PoolableConnectionFactory(null, null));
        spec.backendProperties().forEach((name, value) -> {
            String engineOption = ENGINE_OWNED.get(name);
            Property<?> property = PROPERTIES.get(name);
            if (engineOption != null) {
                problems.add("backend '" + backend + "' property '" + name + "' is set by the engine: use "
                        + engineOption + " instead");
            } else if (property == null) {
                problems.add("backend '" + backend + "' has no backend property '" + name + "'; accepted: "
                        + String.join(", ", PROPERTIES.keySet()) + " (see " + DOCS + ")");
            } else {
                try {
                    property.apply(scratch, value);
                } catch (IllegalArgumentException e) {
                    problems.add("backend '" + backend + "' property '" + name + "' must be " + property.expected
                            + ", was '" + value + "'" + (e instanceof NumberFormatException || e.getMessage() == null
                            ? "" : " (" + e.getMessage() + ")"));
                }
            }
        });
        boolean evictor = scratch.config.getDurationBetweenEvictionRuns().compareTo(Duration.ZERO) > 0;
        if (!evictor && scratch.config.getTestWhileIdle()) {
            problems.add("backend '" + backend + "' property 'testWhileIdle' needs the evictor: set"
                    + " timeBetweenEvictionRunsMillis > 0 as well");
        }
        AbandonedConfig abandoned = scratch.abandonedOrNull();
        if (!evictor && abandoned != null && abandoned.getRemoveAbandonedOnMaintenance()) {
            problems.add("backend '" + backend + "' property 'removeAbandonedOnMaintenance' needs the evictor: set"
                    + " timeBetweenEvictionRunsMillis > 0 as well");
        }
        return problems;
    }

    /** Applies validated properties to {@code targets}. */
    static void apply(Map<String, String> properties, Targets targets) {
        properties.forEach((name, value) -> {
            Property<?> property = PROPERTIES.get(name);
            if (property == null) {
                throw new IllegalArgumentException("backend property '" + name + "' was not validated");
            }
            property.apply(targets, value);
        });
    }

    private static void owned(String engineOption, String... names) {
        for (String name : names) {
            ENGINE_OWNED.put(name, engineOption);
        }
    }

    private static void add(Property<?> property) {
        PROPERTIES.put(property.name, property);
    }

    private static Boolean bool(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        throw new IllegalArgumentException();
    }

    private static Integer integer(String s) {
        return Integer.valueOf(s.trim());
    }

    private static Duration millis(String s) {
        return Duration.ofMillis(Long.parseLong(s.trim()));
    }

    private static Duration seconds(String s) {
        return Duration.ofSeconds(Long.parseLong(s.trim()));
    }

    private static String text(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException();
        }
        return s;
    }

    private static List<String> list(String s, char separator) {
        List<String> items = new ArrayList<>();
        StringTokenizer tokens = new StringTokenizer(s, String.valueOf(separator));
        while (tokens.hasMoreTokens()) {
            String item = tokens.nextToken().trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException();
        }
        return Collections.unmodifiableList(items);
    }

    /** One accepted property: how to read its text and where it goes. */
    private static final class Property<T> {
        final String name;
        final String expected;
        final Function<String, T> parser;
        final BiConsumer<Targets, T> setter;

        Property(String name, String expected, Function<String, T> parser, BiConsumer<Targets, T> setter) {
            this.name = name;
            this.expected = expected;
            this.parser = parser;
            this.setter = setter;
        }

        void apply(Targets targets, String text) {
            setter.accept(targets, parser.apply(text));
        }
    }
}
