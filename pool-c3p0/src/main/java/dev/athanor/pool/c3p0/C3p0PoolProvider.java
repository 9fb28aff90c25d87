package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.beans.PropertyVetoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code c3p0} pool, priority 100: c3p0 keeps the connections, the engine applies the pool rules
 * ({@link C3p0PoolBackend} says how c3p0 is set up for that).
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://app@db/orders")
 *         .pool("c3p0").poolSize(5).maxOverflow(10)
 *         .backendProperty("maxStatements", "200")      // c3p0's statement cache
 *         .build();
 * PooledDataSource c3p0 = engine.unwrap(PooledDataSource.class);
 * }</pre>
 *
 * <p>c3p0 refills its pool to the largest size it reached; the backend refuses those connects unless a checkout
 * waits. c3p0 logs each refusal at WARNING (two lines from {@code com.mchange.v2.resourcepool}, message "Athanor
 * refused c3p0's refill"); they are expected, and real connect failures reach the checkout anyway, so that logger can
 * be set to ERROR. Backend properties are c3p0's settings by their c3p0 names; a typo is an error listing those
 * accepted, and a setting that would override an Athanor option, or make c3p0 open or close connections behind the
 * engine's back, is an error naming the option to use instead.
 */
public final class C3p0PoolProvider implements PoolProvider {
    private static final Capabilities CAPABILITIES = Capabilities.builder().allExact()
            .set(Knob.USE_LIFO, Capability.unsupported("c3p0 always reuses the most recently returned connection"
                    + " first and has no setting for the order"))
            .build();

    @FunctionalInterface
    private interface Setter {
        void set(WrapperConnectionPoolDataSource source, PoolBackedDataSource pool, String value)
                throws PropertyVetoException;
    }

    private static final Map<String, Setter> ACCEPTED = new TreeMap<>(Map.ofEntries(
            Map.entry("maxStatements", (s, p, v) -> s.setMaxStatements(atLeast(0, v))),
            Map.entry("maxStatementsPerConnection", (s, p, v) -> s.setMaxStatementsPerConnection(atLeast(0, v))),
            Map.entry("maxAdministrativeTaskTime", (s, p, v) -> s.setMaxAdministrativeTaskTime(atLeast(0, v))),
            Map.entry("statementCacheNumDeferredCloseThreads",
                    (s, p, v) -> s.setStatementCacheNumDeferredCloseThreads(atLeast(0, v))),
            Map.entry("unreturnedConnectionTimeout", (s, p, v) -> s.setUnreturnedConnectionTimeout(atLeast(0, v))),
            Map.entry("numHelperThreads", (s, p, v) -> p.setNumHelperThreads(atLeast(1, v))),
            Map.entry("cancelAutomaticallyClosedStatements",
                    (s, p, v) -> s.setCancelAutomaticallyClosedStatements(bool(v))),
            Map.entry("debugUnreturnedConnectionStackTraces",
                    (s, p, v) -> s.setDebugUnreturnedConnectionStackTraces(bool(v))),
            Map.entry("privilegeSpawnedThreads", (s, p, v) -> s.setPrivilegeSpawnedThreads(bool(v))),
            Map.entry("connectionCustomizerClassName", (s, p, v) -> s.setConnectionCustomizerClassName(type(v))),
            Map.entry("taskRunnerFactoryClassName", (s, p, v) -> s.setTaskRunnerFactoryClassName(type(v))),
            Map.entry("contextClassLoaderSource",
                    (s, p, v) -> s.setContextClassLoaderSource(oneOf(v, "caller", "library", "none"))),
            Map.entry("markSessionBoundaries",
                    (s, p, v) -> s.setMarkSessionBoundaries(oneOf(v, "always", "never", "if-no-statement-cache"))),
            Map.entry("dataSourceName", (s, p, v) -> p.setDataSourceName(v))));

    private static final Map<String, String> RESERVED = new TreeMap<>();

    static {
        reserve("poolSize / maxOverflow (the engine caps, queues and keeps at most poolSize idle)",
                "maxPoolSize", "minPoolSize", "initialPoolSize", "acquireIncrement");
        reserve("poolTimeout (the adapter waits inside c3p0 in short slices)", "checkoutTimeout");
        reserve("poolRecycle / poolPrePing (the engine retires and tests connections itself)", "maxConnectionAge",
                "maxIdleTime", "maxIdleTimeExcessConnections", "idleConnectionTestPeriod", "propertyCycle",
                "testConnectionOnCheckout", "testConnectionOnCheckin", "connectionTesterClassName",
                "preferredTestQuery", "automaticTestTable", "connectionIsValidTimeout", "attemptResurrectOnCheckin");
        reserve("resetOnReturn", "autoCommitOnClose", "forceIgnoreUnresolvedTransactions");
        reserve("connectArg(...) / the driver's connect timeout (a failed connect fails the checkout that waited"
                + " for it, once)", "acquireRetryAttempts", "acquireRetryDelay", "breakAfterAcquireFailure",
                "loginTimeout");
        reserve("nothing: the engine needs a returned connection kept or gone when the checkin returns",
                "forceSynchronousCheckins");
        reserve("the engine URL and connectArg(...)", "user", "password", "overrideDefaultUser",
                "overrideDefaultPassword", "jdbcUrl", "driverClass", "nestedDataSource", "connectionPoolDataSource",
                "userOverridesAsString");
    }

    private static void reserve(String instead, String... names) {
        for (String name : names) {
            RESERVED.put(name, instead);
        }
    }

    /** Problems with the backend properties, found by applying them to scratch c3p0 objects; empty when none. */
    @Override
    public List<String> validate(PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        WrapperConnectionPoolDataSource source = new WrapperConnectionPoolDataSource(false);
        PoolBackedDataSource pool = new PoolBackedDataSource(false);
        spec.backendProperties().forEach((name, value) -> {
            if (RESERVED.containsKey(name)) {
                problems.add("backendProperty '" + name + "' is set by Athanor for pool 'c3p0'; use "
                        + RESERVED.get(name) + " instead");
            } else if (!ACCEPTED.containsKey(name)) {
                problems.add("backend 'c3p0' has no backendProperty '" + name + "'; accepted: "
                        + String.join(", ", ACCEPTED.keySet())
                        + " (see https://www.mchange.com/projects/c3p0/#configuration_properties)");
            } else {
                try {
                    ACCEPTED.get(name).set(source, pool, value.strip());
                } catch (PropertyVetoException | RuntimeException e) {
                    problems.add("backendProperty '" + name + "' " + e.getMessage() + ", was '" + value + "'");
                }
            }
        });
        return problems;
    }

    /** Applies validated properties to the pool's c3p0 objects. */
    static void apply(Map<String, String> properties, WrapperConnectionPoolDataSource source,
                      PoolBackedDataSource pool) {
        properties.forEach((name, value) -> {
            try {
                ACCEPTED.get(name).set(source, pool, value.strip());
            } catch (PropertyVetoException | RuntimeException e) {
                throw new IllegalArgumentException("c3p0 refused backendProperty '" + name + "' = '" + value + "'", e);
            }
        });
    }

    private static int atLeast(int min, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be an integer >= " + min);
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("must be true or false");
    }

    private static String type(String v) {
        try {
            Class.forName(v, false, C3p0PoolProvider.class.getClassLoader());
            return v;
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("must name a class on the classpath");
        }
    }

    private static String oneOf(String v, String... choices) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (List.of(choices).contains(lower)) {
            return lower;
        }
        throw new IllegalArgumentException("must be one of " + List.of(choices));
    }

    @Override
    public String name() {
        return "c3p0";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new C3p0PoolBackend(spec, source);
    }
}
