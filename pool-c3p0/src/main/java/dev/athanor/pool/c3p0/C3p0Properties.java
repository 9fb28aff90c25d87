package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The c3p0 settings a user may pass with {@code backendProperty(name, value)}: an explicit table, so that a typo is
 * an error listing what is accepted, and a setting that would override an Athanor option is an error naming the
 * option to use instead. Accepted values are applied through c3p0's own bean setters.
 */
final class C3p0Properties {
    private enum Type { INT, POSITIVE_INT, BOOLEAN, STRING, CLASS_NAME }

    private record Setting(Type type, boolean onPoolDataSource, Set<String> choices) {
    }

    private static final Map<String, Setting> ACCEPTED = new TreeMap<>();
    private static final Map<String, String> RESERVED = new LinkedHashMap<>();

    static {
        for (String name : List.of("idleConnectionTestPeriod", "maxIdleTime", "maxStatements",
                "maxStatementsPerConnection", "maxAdministrativeTaskTime", "propertyCycle",
                "statementCacheNumDeferredCloseThreads", "unreturnedConnectionTimeout")) {
            ACCEPTED.put(name, new Setting(Type.INT, false, Set.of()));
        }
        for (String name : List.of("cancelAutomaticallyClosedStatements", "debugUnreturnedConnectionStackTraces",
                "privilegeSpawnedThreads")) {
            ACCEPTED.put(name, new Setting(Type.BOOLEAN, false, Set.of()));
        }
        ACCEPTED.put("connectionCustomizerClassName", new Setting(Type.CLASS_NAME, false, Set.of()));
        ACCEPTED.put("taskRunnerFactoryClassName", new Setting(Type.CLASS_NAME, false, Set.of()));
        ACCEPTED.put("contextClassLoaderSource", new Setting(Type.STRING, false, Set.of("caller", "library", "none")));
        ACCEPTED.put("markSessionBoundaries",
                new Setting(Type.STRING, false, Set.of("always", "never", "if-no-statement-cache")));
        ACCEPTED.put("numHelperThreads", new Setting(Type.POSITIVE_INT, true, Set.of()));
        ACCEPTED.put("dataSourceName", new Setting(Type.STRING, true, Set.of()));

        String sizing = "poolSize / maxOverflow (the pool starts empty, opens one connection at a time, never"
                + " holds more than poolSize + maxOverflow and keeps at most poolSize idle)";
        for (String name : List.of("maxPoolSize", "minPoolSize", "initialPoolSize", "acquireIncrement",
                "maxIdleTimeExcessConnections")) {
            RESERVED.put(name, sizing);
        }
        RESERVED.put("checkoutTimeout", "poolTimeout");
        RESERVED.put("maxConnectionAge", "poolRecycle");
        String ping = "poolPrePing (the engine validates connections itself)";
        for (String name : List.of("testConnectionOnCheckout", "testConnectionOnCheckin", "connectionTesterClassName",
                "preferredTestQuery", "automaticTestTable", "connectionIsValidTimeout", "attemptResurrectOnCheckin")) {
            RESERVED.put(name, ping);
        }
        RESERVED.put("autoCommitOnClose", "resetOnReturn");
        RESERVED.put("forceIgnoreUnresolvedTransactions", "resetOnReturn");
        String connect = "connectTimeout (a failed connect fails the checkout at once and leaves the pool usable)";
        for (String name : List.of("acquireRetryAttempts", "acquireRetryDelay", "breakAfterAcquireFailure",
                "loginTimeout")) {
            RESERVED.put(name, connect);
        }
        RESERVED.put("forceSynchronousCheckins", "none: the adapter needs synchronous checkins to count idle"
                + " connections exactly");
        String url = "the engine URL and connectArg(...)";
        for (String name : List.of("user", "password", "overrideDefaultUser", "overrideDefaultPassword", "jdbcUrl",
                "driverClass", "nestedDataSource", "connectionPoolDataSource")) {
            RESERVED.put(name, url);
        }
    }

    private C3p0Properties() {
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

    /** Applies already validated properties to the native objects. */
    static void apply(Map<String, String> properties, WrapperConnectionPoolDataSource poolSource,
                      PoolBackedDataSource dataSource) {
        properties.forEach((name, value) -> {
            Setting setting = ACCEPTED.get(name);
            Object target = setting.onPoolDataSource() ? dataSource : poolSource;
            String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            String v = value.strip();
            try {
                switch (setting.type()) {
                    case INT:
                    case POSITIVE_INT:
                        target.getClass().getMethod(setter, int.class).invoke(target, Integer.parseInt(v));
                        break;
                    case BOOLEAN:
                        target.getClass().getMethod(setter, boolean.class).invoke(target, Boolean.parseBoolean(v));
                        break;
                    default:
                        Method m = target.getClass().getMethod(setter, String.class);
                        m.invoke(target, v);
                }
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("c3p0 refused backendProperty '" + name + "' = '" + value + "'",
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("c3p0 has no setter for backendProperty '" + name + "'", e);
            }
        });
    }
}
