package dev.athanor.pool.hikari;

import dev.athanor.spi.PoolSpec;

import com.zaxxer.hikari.HikariConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HikariCP settings a user may pass with {@code backendProperty(name, value)}, and the ones refused because an
 * Athanor option (or the engine itself) owns them. Values are checked here, before HikariCP sees them, so that a
 * value HikariCP would silently "correct" (a leak-detection threshold under two seconds, say) is an error instead.
 */
final class HikariSettings {
    /** Documentation of HikariCP's settings, for the error message about an unknown one. */
    static final String DOCS = "https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby";

    private static final String LEAK = "leakDetectionThreshold";
    private static final String INIT_SQL = "connectionInitSql";
    private static final String MBEANS = "registerMbeans";
    private static final List<String> ACCEPTED = List.of(LEAK, INIT_SQL, MBEANS);
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        REFUSED.put("maximumPoolSize", "set poolSize and maxOverflow (maximumPoolSize is poolSize + maxOverflow)");
        REFUSED.put("minimumIdle", "set poolSize (the pool starts empty and keeps at most poolSize idle)");
        REFUSED.put("connectionTimeout", "set poolTimeout");
        REFUSED.put("maxLifetime", "set poolRecycle (checked at checkout)");
        REFUSED.put("idleTimeout", "HikariCP would retire idle connections from its own threads; set poolRecycle"
                + " or call dispose()");
        for (String name : List.of("keepaliveTime", "validationTimeout", "connectionTestQuery")) {
            REFUSED.put(name, "the engine tests connections: set poolPrePing");
        }
        REFUSED.put("autoCommit", "Athanor hands out connections with auto-commit off and begins transactions itself");
        REFUSED.put("transactionIsolation", "set isolationLevel");
        REFUSED.put("poolName", "set poolName");
        for (String name : List.of("readOnly", "catalog", "schema")) {
            REFUSED.put(name, "the engine puts back session settings a borrower changed, so a default HikariCP set"
                    + " would be undone at the first return; set it through the driver with connectArg(name, value)");
        }
        for (String name : List.of("metricRegistry", "metricsTrackerFactory")) {
            REFUSED.put(name, "it is an object, not text: call its setter on engine.unwrap(HikariDataSource.class)");
        }
        REFUSED.put("allowPoolSuspension", "a suspended HikariCP pool makes checkouts wait without poolTimeout;"
                + " call dispose() to replace connections");
        for (String name : List.of("jdbcUrl", "driverClassName", "dataSourceClassName", "dataSourceJNDI",
                "dataSource", "dataSourceProperties", "username", "password", "credentialsProviderClassName")) {
            REFUSED.put(name, "connections come from the engine URL; pass driver properties with connectArg(name,"
                    + " value)");
        }
    }

    private HikariSettings() {
    }

    /** Every problem with the spec's backend properties; empty when HikariCP can be configured with them. */
    static List<String> problems(PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        spec.backendProperties().forEach((name, value) -> {
            String problem = problem(name, value.trim());
            if (problem != null) {
                problems.add(problem);
            }
        });
        if ("true".equalsIgnoreCase(spec.backendProperties().getOrDefault(MBEANS, "").trim())
                && spec.poolName().contains(":")) {
            problems.add("backend property '" + MBEANS + "' needs a poolName without ':' (JMX), was '"
                    + spec.poolName() + "'");
        }
        return problems;
    }

    private static String problem(String name, String value) {
        String refusal = REFUSED.get(name.startsWith("dataSource.") ? "dataSourceProperties" : name);
        if (refusal != null) {
            return "backend property '" + name + "' is not accepted by pool 'hikari': " + refusal;
        }
        return switch (name) {
            case LEAK -> {
                Long millis = parseLong(value);
                if (millis == null || millis < 0) {
                    yield "backend property '" + name + "' must be a whole number of milliseconds >= 0, was '"
                            + value + "'";
                }
                yield millis > 0 && millis < 2000 ? "backend property '" + name + "' must be 0 (off) or at least 2000"
                        + " ms (HikariCP would silently turn it off), was " + millis : null;
            }
            case MBEANS -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                    : "backend property '" + name + "' must be true or false, was '" + value + "'";
            case INIT_SQL -> value.isEmpty() ? "backend property '" + name + "' must not be blank" : null;
            default -> "backend property '" + name + "' is not a HikariCP setting pool 'hikari' accepts; accepted: "
                    + String.join(", ", ACCEPTED) + " (see " + DOCS + ")";
        };
    }

    private static Long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Sets the accepted properties on HikariCP's configuration; {@link #problems} must have been empty. The store runs
     * {@code connectionInitSql} itself and commits it (HikariCP would leave it uncommitted with auto-commit off).
     */
    static void apply(PoolSpec spec, HikariConfig config) {
        Map<String, String> p = spec.backendProperties();
        if (p.containsKey(LEAK)) {
            config.setLeakDetectionThreshold(Long.parseLong(p.get(LEAK).trim()));
        }
        if (p.containsKey(MBEANS)) {
            config.setRegisterMbeans(Boolean.parseBoolean(p.get(MBEANS).trim()));
        }
    }

    /** {@code connectionInitSql}, or {@code null}. */
    static String initSql(PoolSpec spec) {
        String sql = spec.backendProperties().get(INIT_SQL);
        return sql == null ? null : sql.trim();
    }
}
