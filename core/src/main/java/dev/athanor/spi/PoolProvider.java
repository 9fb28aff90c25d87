package dev.athanor.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A named kind of pool ({@code hikari}, {@code dbcp}, {@code c3p0}, {@code null}, {@code static}), found with
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.athanor.spi.PoolProvider}. An engine uses the provider named by
 * {@code Engine.builder(url).pool("name")}, or the one with the highest {@link #priority()} on the classpath.
 *
 * <pre>{@code
 * public final class MyPoolProvider implements PoolProvider {
 *     public String name() { return "mypool"; }
 *     public Capabilities capabilities() { return Capabilities.builder().allExact().build(); }
 *     public PoolBackend create(PoolSpec spec, ConnectionSource source) { return new MyPoolBackend(spec, source); }
 * }
 * }</pre>
 */
public interface PoolProvider {

    /** The name users select the backend by; lower case, unique on the classpath. */
    String name();

    /** Preference when the user names no backend; the highest wins. The core pools use negative priorities. */
    default int priority() {
        return 0;
    }

    /** What the backend honours, declared for every {@link Knob}. */
    Capabilities capabilities();

    /**
     * Problems with {@code spec} that this backend refuses, beyond knobs declared {@link Fidelity#UNSUPPORTED}
     * (which the engine refuses itself when they are set explicitly). Each problem is a sentence naming the
     * setting, its value and what is allowed. The default refuses every backend property.
     */
    default List<String> validate(PoolSpec spec) {
        List<String> problems = new ArrayList<>();
        for (String key : spec.backendProperties().keySet()) {
            problems.add("backend '" + name() + "' has no backend property '" + key + "' (it takes none)");
        }
        return problems;
    }

    /** Makes the pool. Must open no connection: the engine is lazy until the first checkout. */
    PoolBackend create(PoolSpec spec, ConnectionSource source);
}
