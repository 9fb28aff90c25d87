package dev.athanor.pool.hikari;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import com.zaxxer.hikari.HikariConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code hikari} pool, priority 300 (the default when on the classpath): HikariCP 7 keeps the connections, the
 * engine applies the pool rules ({@link HikariPoolBackend} says how HikariCP is set up for that).
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://app@db/orders")
 *         .pool("hikari").poolSize(5).maxOverflow(10)
 *         .backendProperty("leakDetectionThreshold", "5000")
 *         .build();
 * HikariDataSource native = engine.unwrap(HikariDataSource.class);
 * }</pre>
 *
 * <p>Backend properties: {@code leakDetectionThreshold} (ms, 0 or at least 2000) and {@code registerMbeans}, passed to
 * HikariCP, and {@code connectionInitSql}, run and committed by the store on each new connection (its failure is a
 * failed connect). Values are checked before HikariCP sees them, so one it would silently "correct" is an error. A
 * HikariCP setting an engine option owns, or one that would undo the engine's rules, is refused naming the option to
 * use instead.
 */
public final class HikariPoolProvider implements PoolProvider {
    static final Capabilities CAPABILITIES = Capabilities.builder()
            .allExact()
            .set(Knob.USE_LIFO, Capability.unsupported("HikariCP's bag hands a thread the connections it returned"
                    + " itself (newest first), then the oldest idle connection; neither FIFO nor LIFO can be chosen"))
            .build();

    private static final String LEAK = "leakDetectionThreshold";
    private static final String INIT_SQL = "connectionInitSql";
    private static final String MBEANS = "registerMbeans";
    private static final Map<String, String> REFUSED = new HashMap<>();

    static {
        refuse("set poolSize and maxOverflow (maximumPoolSize is poolSize + maxOverflow)", "maximumPoolSize");
        refuse("set poolSize (the pool starts empty and keeps at most poolSize idle)", "minimumIdle");
        refuse("set poolTimeout", "connectionTimeout");
        refuse("set poolRecycle (checked at checkout)", "maxLifetime");
        refuse("HikariCP would retire idle connections from its own threads; set poolRecycle or call dispose()",
                "idleTimeout");
        refuse("the engine tests connections: set poolPrePing", "keepaliveTime", "validationTimeout",
                "connectionTestQuery");
        refuse("Athanor hands out connections with auto-commit off and begins transactions itself", "autoCommit");
        refuse("set isolationLevel", "transactionIsolation");
        refuse("set poolName", "poolName");
        refuse("the engine puts back session settings a borrower changed, so a default HikariCP set would be undone"
                + " at the first return; set it through the driver with connectArg(name, value)",
                "readOnly", "catalog", "schema");
        refuse("it is an object, not text: call its setter on engine.unwrap(HikariDataSource.class)",
                "metricRegistry", "metricsTrackerFactory");
        refuse("a suspended HikariCP pool makes checkouts wait without poolTimeout; call dispose() to replace"
                + " connections", "allowPoolSuspension");
        refuse("connections come from the engine URL; pass driver properties with connectArg(name, value)", "jdbcUrl",
                "driverClassName", "dataSourceClassName", "dataSourceJNDI", "dataSource", "dataSourceProperties",
                "username", "password", "credentialsProviderClassName");
    }

    private static void refuse(String reason, String... names) {
        for (String name : names) {
            REFUSED.put(name, reason);
        }
    }

    /** Every problem with the spec's backend properties; empty when HikariCP can be configured with them. */
    @Override
    public List<String> validate(PoolSpec spec) {
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
                long millis = -1;
                try {
                    millis = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (millis < 0) {
                    yield "backend property '" + name + "' must be a whole number of milliseconds >= 0, was '" + value
                            + "'";
                }
                yield millis > 0 && millis < 2000 ? "backend property '" + name + "' must be 0 (off) or at least 2000"
                        + " ms (HikariCP would silently turn it off), was " + millis : null;
            }
            case MBEANS -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                    : "backend property '" + name + "' must be true or false, was '" + value + "'";
            case INIT_SQL -> value.isEmpty() ? "backend property '" + name + "' must not be blank" : null;
            default -> "backend property '" + name + "' is not a HikariCP setting pool 'hikari' accepts; accepted: "
                    + String.join(", ", LEAK, INIT_SQL, MBEANS)
                    + " (see https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby)";
        };
    }

    /**
     * Sets the accepted properties on HikariCP's configuration ({@link #validate} found no problem) and returns
     * {@code connectionInitSql} or null: the store runs and commits it itself, since HikariCP would leave it
     * uncommitted with auto-commit off.
     */
    static String apply(PoolSpec spec, HikariConfig config) {
        Map<String, String> p = spec.backendProperties();
        if (p.containsKey(LEAK)) {
            config.setLeakDetectionThreshold(Long.parseLong(p.get(LEAK).trim()));
        }
        if (p.containsKey(MBEANS)) {
            config.setRegisterMbeans(Boolean.parseBoolean(p.get(MBEANS).trim()));
        }
        return p.containsKey(INIT_SQL) ? p.get(INIT_SQL).trim() : null;
    }

    @Override
    public String name() {
        return "hikari";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new HikariPoolBackend(spec, source);
    }
}
