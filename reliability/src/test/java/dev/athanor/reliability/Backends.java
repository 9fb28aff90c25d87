package dev.athanor.reliability;

import dev.athanor.spi.PoolProvider;
import dev.athanor.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The pool backends every reliability test runs against: {@code hikari}, {@code dbcp} and {@code c3p0}, or the
 * comma-separated list in system property {@code athanor.reliability.backends} (e.g. {@code null} to try the suite
 * on core's pool). A backend not on the classpath is skipped with the reason on a developer machine, and fails the
 * run when databases are required (CI): there, nothing may pass by skipping.
 *
 * <pre>{@code
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("dev.athanor.reliability.Backends#names")
 * void survives(String backend) { ... }
 * }</pre>
 */
final class Backends {
    static final List<String> DEFAULT = List.of("hikari", "dbcp", "c3p0");

    private static volatile Set<String> available;

    private Backends() {
    }

    /** The backend names under test. */
    static List<String> names() {
        String configured = System.getProperty("athanor.reliability.backends", "").strip();
        if (configured.isEmpty()) {
            return DEFAULT;
        }
        List<String> names = new ArrayList<>();
        for (String name : configured.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return names;
    }

    /** Skips (locally) or fails (CI) the calling test when {@code backend} is not on the classpath. */
    static void require(String backend) {
        if (isAvailable(backend)) {
            return;
        }
        String msg = "pool backend '" + backend + "' is not on the classpath (available: " + available
                + "); add athanor-pool-" + backend + " to the reliability module";
        if (TestDatabase.required()) {
            Assertions.fail(msg + " — backends are required in this run (CI=true / athanor.requireDatabases)");
        }
        Assumptions.abort(msg);
    }

    static boolean isAvailable(String backend) {
        Set<String> names = available;
        if (names == null) {
            names = new TreeSet<>();
            for (PoolProvider p : ServiceLoader.load(PoolProvider.class, Backends.class.getClassLoader())) {
                names.add(p.name());
            }
            available = names;
        }
        return names.contains(backend);
    }
}
