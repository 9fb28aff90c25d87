package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import java.beans.PropertyVetoException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The c3p0 settings a user may pass with {@code backendProperty(name, value)}: an explicit table of c3p0's setters,
 * so that a typo is an error listing what is accepted, and a setting that would override an Athanor option, or make
 * c3p0 close or open connections behind the engine's back, is an error naming the option to use instead.
 */
final class C3p0Properties {
    private enum Type { INT, POSITIVE_INT, BOOLEAN, CLASS_NAME, CHOICE }

    @FunctionalInterface
    private interface Setter {
        void set(WrapperConnectionPoolDataSource source, PoolBackedDataSource pool, String value)
                throws PropertyVetoException;
    }

    private record Setting(Type type, Set<String> choices, Setter setter) {
    }

    private static final Map<String, Setting> ACCEPTED = new TreeMap<>();
    private static final Map<String, String> RESERVED = new LinkedHashMap<>();

    static {
        ints("maxStatements", (s, p, v) -> s.setMaxStatements(Integer.parseInt(v)));
        ints("maxStatementsPerConnection", (s, p, v) -> s.setMaxStatementsPerConnection(Integer.parseInt(v)));
        ints("maxAdministrativeTaskTime", (s, p, v) -> s.setMaxAdministrativeTaskTime(Integer.parseInt(v)));
        ints("statementCacheNumDeferredCloseThreads",
                (s, p, v) -> s.setStatementCacheNumDeferredCloseThreads(Integer.parseInt(v)));
        ints("unreturnedConnectionTimeout", (s, p, v) -> s.setUnreturnedConnectionTimeout(Integer.parseInt(v)));
        accept("numHelperThreads", Type.POSITIVE_INT, (s, p, v) -> p.setNumHelperThreads(Integer.parseInt(v)));
        accept("cancelAutomaticallyClosedStatements", Type.BOOLEAN,
                (s, p, v) -> s.setCancelAutomaticallyClosedStatements(Boolean.parseBoolean(v)));
        accept("debugUnreturnedConnectionStackTraces", Type.BOOLEAN,
                (s, p, v) -> s.setDebugUnreturnedConnectionStackTraces(Boolean.parseBoolean(v)));
        accept("privilegeSpawnedThreads", Type.BOOLEAN,
                (s, p, v) -> s.setPrivilegeSpawnedThreads(Boolean.parseBoolean(v)));
        accept("connectionCustomizerClassName", Type.CLASS_NAME, (s, p, v) -> s.setConnectionCustomizerClassName(v));
        accept("taskRunnerFactoryClassName", Type.CLASS_NAME, (s, p, v) -> s.setTaskRunnerFactoryClassName(v));
        ACCEPTED.put("contextClassLoaderSource", new Setting(Type.CHOICE, Set.of("caller", "library", "none"),
                (s, p, v) -> s.setContextClassLoaderSource(v.toLowerCase(Locale.ROOT))));
        ACCEPTED.put("markSessionBoundaries", new Setting(Type.CHOICE, Set.of("always", "never",
                "if-no-statement-cache"), (s, p, v) -> s.setMarkSessionBoundaries(v.toLowerCase(Locale.ROOT))));
        ACCEPTED.put("dataSourceName", new Setting(Type.CHOICE, Set.of(), (s, p, v) -> p.setDataSourceName(v)));

        String sizing = "poolSize / maxOverflow (the engine caps, queues and keeps at most poolSize idle; c3p0 starts"
                + " empty and opens one connection per need)";
        for (String name : List.of("maxPoolSize", "minPoolSize", "initialPoolSize", "acquireIncrement")) {
            RESERVED.put(name, sizing);
        }
        RESERVED.put("checkoutTimeout", "poolTimeout (the adapter waits inside c3p0 in short slices)");
        String engineOwned = "poolRecycle / poolPrePing (the engine retires and tests connections itself; c3p0"
                + " closing them on its own would reopen them behind its back)";
        for (String name : List.of("maxConnectionAge", "maxIdleTime", "maxIdleTimeExcessConnections",
                "idleConnectionTestPeriod", "propertyCycle", "testConnectionOnCheckout", "testConnectionOnCheckin",
                "connectionTesterClassName", "preferredTestQuery", "automaticTestTable", "connectionIsValidTimeout",
                "attemptResurrectOnCheckin")) {
            RESERVED.put(name, engineOwned);
        }
        RESERVED.put("autoCommitOnClose", "resetOnReturn");
        RESERVED.put("forceIgnoreUnresolvedTransactions", "resetOnReturn");
        String connect = "connectArg(...) / the driver's connect timeout (a failed connect fails the checkout that"
                + " waited for it, once, and leaves the pool usable)";
        for (String name : List.of("acquireRetryAttempts", "acquireRetryDelay", "breakAfterAcquireFailure",
                "loginTimeout")) {
            RESERVED.put(name, connect);
        }
        RESERVED.put("forceSynchronousCheckins", "none: the engine needs a returned connection kept or gone when the"
                + " checkin returns");
        String url = "the engine URL and connectArg(...)";
        for (String name : List.of("user", "password", "overrideDefaultUser", "overrideDefaultPassword", "jdbcUrl",
                "driverClass", "nestedDataSource", "connectionPoolDataSource", "userOverridesAsString")) {
            RESERVED.put(name, url);
        }
    }

    private C3p0Properties() {
    }

    private static void ints(String name, Setter setter) {
        accept(name, Type.INT, setter);
    }

    private static void accept(String name, Type type, Setter setter) {
        ACCEPTED.put(name, new Setting(type, Set.of(), setter));
    }

    /** Problems with the given properties; empty when every one is accepted with a valid value. */
    static List<String> problems(Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        properties.forEach((name, value) -> {
            String problem = problem(name, value);
            if (problem != null) {
                problems.add(problem);
            }
        });
        return problems;
    }

    private static String problem(String name, String value) {
        String instead = RESERVED.get(name);
        if (instead != null) {
            return "backendProperty '" + name + "' is set by Athanor for pool 'c3p0'; use " + instead + " instead";
        }
        Setting setting = ACCEPTED.get(name);
        if (setting == null) {
            return "backend 'c3p0' has no backendProperty '" + name + "'; accepted: " + String.join(", ",
                    ACCEPTED.keySet()) + " (see https://www.mchange.com/projects/c3p0/#configuration_properties)";
        }
        String v = value.strip();
        switch (setting.type()) {
            case INT:
            case POSITIVE_INT:
                int min = setting.type() == Type.POSITIVE_INT ? 1 : 0;
                try {
                    if (Integer.parseInt(v) >= min) {
                        return null;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                return "backendProperty '" + name + "' must be an integer >= " + min + ", was '" + value + "'";
            case BOOLEAN:
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null
                        : "backendProperty '" + name + "' must be true or false, was '" + value + "'";
            case CLASS_NAME:
                try {
                    Class.forName(v, false, C3p0Properties.class.getClassLoader());
                    return null;
                } catch (ClassNotFoundException | LinkageError e) {
                    return "backendProperty '" + name + "' must name a class on the classpath, was '" + value + "'";
                }
            default:
                return setting.choices().isEmpty() || setting.choices().contains(v.toLowerCase(Locale.ROOT)) ? null
                        : "backendProperty '" + name + "' must be one of " + new java.util.TreeSet<>(setting.choices())
                        + ", was '" + value + "'";
        }
    }

    /** Applies already validated properties to the native objects, through c3p0's own setters. */
    static void apply(Map<String, String> properties, WrapperConnectionPoolDataSource source,
                      PoolBackedDataSource pool) {
        properties.forEach((name, value) -> {
            try {
                ACCEPTED.get(name).setter().set(source, pool, value.strip());
            } catch (PropertyVetoException | RuntimeException e) {
                throw new IllegalArgumentException("c3p0 refused backendProperty '" + name + "' = '" + value + "'", e);
            }
        });
    }
}
