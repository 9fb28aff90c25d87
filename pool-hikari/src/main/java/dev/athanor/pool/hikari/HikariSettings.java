package dev.athanor.pool.hikari;

import dev.athanor.spi.PoolSpec;

import com.zaxxer.hikari.HikariConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HikariCP settings a user may pass with {@code backendProperty(name, value)}, and the ones refused because an
 * Athanor option (or the engine itself) owns them. Values are checked here, before HikariCP sees them, so that a
 * value HikariCP would silently "correct" (a leak-detection threshold under two seconds, say) is an error instead.
 */
final class HikariSettings {
    /** Documentation of HikariCP's settings, for the error message about an unknown one. */
    static final String DOCS = "https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby";

    private static final String INIT_SQL = "connectionInitSql";

    private enum Kind {
        MILLIS, BOOLEAN, TEXT
    }

    private static final Map<String, Kind> ACCEPTED = new LinkedHashMap<>();
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        ACCEPTED.put("leakDetectionThreshold", Kind.MILLIS);
        ACCEPTED.put(INIT_SQL, Kind.TEXT);
        ACCEPTED.put("registerMbeans", Kind.BOOLEAN);

        REFUSED.put("maximumPoolSize", "set poolSize and maxOverflow (maximumPoolSize is poolSize + maxOverflow)");
        REFUSED.put("minimumIdle", "set poolSize (the pool starts empty and keeps at most poolSize idle)");
        REFUSED.put("connectionTimeout", "set poolTimeout");
        REFUSED.put("maxLifetime", "set poolRecycle (checked at checkout)");
        REFUSED.put("idleTimeout", "HikariCP would retire idle connections from its own threads; set poolRecycle"
                + " or call dispose()");
        String ping = "the engine tests connections: set poolPrePing";
        REFUSED.put("keepaliveTime", ping);
        REFUSED.put("validationTimeout", ping);
        REFUSED.put("connectionTestQuery", ping);
        REFUSED.put("autoCommit", "Athanor hands out connections with auto-commit off and begins transactions itself");
        REFUSED.put("transactionIsolation", "set isolationLevel");
        REFUSED.put("poolName", "set poolName");
        REFUSED.put("initializationFailTimeout", "the pool always starts empty and connects at the first checkout");
        REFUSED.put("isolateInternalQueries", "HikariCP runs no queries of its own here");
        REFUSED.put("allowPoolSuspension", "a suspended HikariCP pool makes checkouts wait without poolTimeout;"
                + " call dispose() to replace connections");
        String session = "the engine puts back the session settings a borrower changed, so a default HikariCP set"
                + " would be undone at the first return; set it through the driver with connectArg(name, value)";
        for (String name : List.of("readOnly", "catalog", "schema")) {
            REFUSED.put(name, session);
        }
        REFUSED.put("exceptionOverrideClassName", "the engine decides which errors mean a lost connection");
        String url = "connections come from the engine URL; pass driver properties with connectArg(name, value)";
        for (String name : List.of("jdbcUrl", "driverClassName", "dataSourceClassName", "dataSourceJNDI",
                "dataSource", "dataSourceProperties", "username", "password", "credentialsProviderClassName")) {
            REFUSED.put(name, url);
        }
        String object = "it is an object, not text: call its setter on engine.unwrap(HikariDataSource.class)";
        REFUSED.put("metricRegistry", object);
        REFUSED.put("metricsTrackerFactory", object);
        String sealed = "it is an object HikariCP only takes before it starts; Athanor does not pass it through";
        for (String name : List.of("healthCheckRegistry", "healthCheckProperties", "threadFactory",
                "scheduledExecutor", "credentials", "credentialsProvider", "exceptionOverride")) {
            REFUSED.put(name, sealed);
        }
    }

    private HikariSettings() {
    }

    /** Every problem with the spec's backend properties; empty when HikariCP can be configured with them. */
    static List<String> problems(PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        spec.backendProperties().forEach((name, value) -> {
            String problem = problem(name, value);
            if (problem != null) {
                problems.add(problem);
            }
        });
        if ("true".equalsIgnoreCase(spec.backendProperties().get("registerMbeans"))
                && spec.poolName().contains(":")) {
            problems.add("backend property 'registerMbeans' needs a poolName without ':' (JMX), was '"
                    + spec.poolName() + "'");
        }
        return problems;
    }

    private static String problem(String name, String value) {
        String refusal = REFUSED.get(name);
        if (refusal == null && name.startsWith("dataSource.")) {
            refusal = REFUSED.get("dataSourceProperties");
        }
        if (refusal != null) {
            return "backend property '" + name + "' is not accepted by pool 'hikari': " + refusal;
        }
        Kind kind = ACCEPTED.get(name);
        if (kind == null) {
            return "backend property '" + name + "' is not a HikariCP setting pool 'hikari' accepts; accepted: "
                    + String.join(", ", ACCEPTED.keySet()) + " (see " + DOCS + ")";
        }
        switch (kind) {
            case MILLIS:
                Long millis = parseLong(value);
                if (millis == null || millis < 0) {
                    return "backend property '" + name + "' must be a whole number of milliseconds >= 0, was '"
                            + value + "'";
                }
                if (millis > 0 && millis < 2000) {
                    return "backend property '" + name + "' must be 0 (off) or at least 2000 ms (HikariCP would"
                            + " silently turn it off), was " + millis;
                }
                return null;
            case BOOLEAN:
                String v = value.trim().toLowerCase(Locale.ROOT);
                return v.equals("true") || v.equals("false") ? null
                        : "backend property '" + name + "' must be true or false, was '" + value + "'";
            default:
                return value.isBlank() ? "backend property '" + name + "' must not be blank" : null;
        }
    }

    private static Long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Sets the accepted properties on HikariCP's configuration; {@link #problems} must have been empty. The store runs
     * {@code connectionInitSql} itself and commits it (HikariCP would leave it uncommitted with auto-commit off).
     */
    static void apply(PoolSpec spec, HikariConfig config) {
        spec.backendProperties().forEach((name, value) -> {
            String v = value.trim();
            switch (name) {
                case "leakDetectionThreshold":
                    config.setLeakDetectionThreshold(Long.parseLong(v));
                    break;
                case "registerMbeans":
                    config.setRegisterMbeans(Boolean.parseBoolean(v));
                    break;
                case INIT_SQL:
                    // Run by the store on each new connection, see HikariPoolBackend.
                    break;
                default:
                    throw new IllegalArgumentException("[" + spec.poolName() + "] backend property '" + name
                            + "' was not validated");
            }
        });
    }

    /** {@code connectionInitSql}, or {@code null}. */
    static String initSql(PoolSpec spec) {
        return spec.backendProperties().get(INIT_SQL);
    }
}
