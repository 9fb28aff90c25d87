package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.IsolationLevel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The backends a benchmark may name, resolved through an explicit map: a name that is not here fails at setup with
 * the list of valid ones, instead of benchmarking something else or nothing.
 *
 * <pre>{@code
 * try (Engine engine = Backends.engine("hikari", "h2:mem:bench", PoolConfig.of(8, 0, false));
 *      RawPool raw = Backends.raw("hikari", "h2:mem:bench", PoolConfig.of(8, 0, false))) { ... }
 * }</pre>
 */
public final class Backends {
    private static final Map<String, BiFunction<String, PoolConfig, RawPool>> RAW;

    static {
        Map<String, BiFunction<String, PoolConfig, RawPool>> raw = new LinkedHashMap<>();
        raw.put("hikari", RawPools::hikari);
        raw.put("dbcp", RawPools::dbcp);
        raw.put("c3p0", RawPools::c3p0);
        RAW = Collections.unmodifiableMap(raw);
    }

    private Backends() {
    }

    /** The valid backend names, in report order. */
    public static List<String> names() {
        return List.copyOf(RAW.keySet());
    }

    /** Returns {@code name} if it is a valid backend, else fails with the list of valid ones. */
    public static String require(String name) {
        if (name == null || !RAW.containsKey(name)) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; valid backends: "
                    + String.join(", ", RAW.keySet()));
        }
        return name;
    }

    /** An Athanor engine over {@code backend}, with the knobs of {@code cfg}. */
    public static Engine engine(String backend, String url, PoolConfig cfg) {
        return engine(backend, url, cfg, null);
    }

    /** {@link #engine(String, String, PoolConfig)} with an isolation level (null: the database's default). */
    public static Engine engine(String backend, String url, PoolConfig cfg, IsolationLevel isolation) {
        require(backend);
        return Engine.builder(url)
                .pool(backend)
                .poolName("bench-" + backend)
                .poolSize(cfg.poolSize())
                .maxOverflow(cfg.maxOverflow())
                .poolPrePing(cfg.prePing())
                .poolTimeout(cfg.poolTimeout())
                .isolationLevel(isolation)
                .build();
    }

    /** The native pool of {@code backend} with settings equivalent to {@link #engine}'s. */
    public static RawPool raw(String backend, String url, PoolConfig cfg) {
        return RAW.get(require(backend)).apply(url, cfg);
    }
}
