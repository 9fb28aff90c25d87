package dev.athanor.hibernate;

import dev.athanor.spi.PoolProvider;
import dev.athanor.testing.TestDatabase;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The pool backends the module's tests run on: all three are test dependencies. */
final class Backends {
    private static final Set<String> PRESENT = ServiceLoader.load(PoolProvider.class).stream()
            .map(p -> p.get().name()).collect(Collectors.toUnmodifiableSet());

    private Backends() {
    }

    /** Skips the calling test when {@code backend} is not on the classpath; fails it when databases are required. */
    static void assumePresent(String backend) {
        if (PRESENT.contains(backend)) {
            return;
        }
        String msg = "pool backend '" + backend + "' is not on the test classpath (found " + PRESENT + ")";
        if (TestDatabase.required()) {
            Assertions.fail(msg + " — every backend is required in this run (CI=true / athanor.requireDatabases)");
        }
        Assumptions.abort(msg);
    }
}
