package dev.athanor.testkit;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the provider under test the way the engine does, through {@link ServiceLoader}, and checks the kit's own
 * preconditions: exactly one provider of that name, and a complete, well-formed capability declaration.
 */
final class KitProviders {
    private KitProviders() {
    }

    /** Every provider on the test classpath. */
    static List<PoolProvider> all() {
        List<PoolProvider> list = new ArrayList<>();
        try {
            for (PoolProvider p : ServiceLoader.load(PoolProvider.class)) {
                list.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new AssertionError("a PoolProvider listed in META-INF/services/dev.athanor.spi.PoolProvider could"
                    + " not be loaded: " + e.getMessage(), e);
        }
        return list;
    }

    static List<PoolProvider> named(String name) {
        List<PoolProvider> list = new ArrayList<>();
        for (PoolProvider p : all()) {
            if (p.name().equals(name) && list.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                list.add(p);
            }
        }
        return list;
    }

    static TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>();
        all().forEach(p -> names.add(p.name()));
        return names;
    }

    /** The provider named {@code name}; fails with the kit's setup message when it is missing or ambiguous. */
    static PoolProvider require(String name) {
        String problem = lookupProblem(name);
        if (problem != null) {
            throw new AssertionError(problem);
        }
        return named(name).get(0);
    }

    /** Why the provider cannot be used, or null. */
    static String lookupProblem(String name) {
        if (name == null || name.isBlank()) {
            return "providerName() returned " + (name == null ? "null" : "'" + name + "'")
                    + "; return the name your PoolProvider.name() reports";
        }
        List<PoolProvider> found = named(name);
        if (found.isEmpty()) {
            return "no PoolProvider named '" + name + "' was found by ServiceLoader; providers on the test classpath: "
                    + names() + ". Check that META-INF/services/dev.athanor.spi.PoolProvider in your module lists"
                    + " your provider class and that PoolProvider.name() returns '" + name + "'";
        }
        if (found.size() > 1) {
            List<String> classes = new ArrayList<>();
            found.forEach(p -> classes.add(p.getClass().getName()));
            return "two PoolProviders are named '" + name + "': " + classes + "; names must be unique";
        }
        return null;
    }

    /** Problems with the capability declaration; empty when it is complete and well formed. */
    static List<String> declarationProblems(PoolProvider provider) {
        List<String> problems = new ArrayList<>();
        Capabilities caps = provider.capabilities();
        if (caps == null) {
            problems.add("capabilities() returned null");
            return problems;
        }
        for (Knob knob : Knob.values()) {
            Capability c = caps.get(knob);
            if (c == null) {
                problems.add(knob.optionName() + " is not declared");
            } else if (c.fidelity() == Fidelity.APPROXIMATE) {
                Duration bound = c.bound();
                if (bound == null || bound.isNegative() || bound.isZero()) {
                    problems.add(knob.optionName() + " is APPROXIMATE without a positive bound (" + bound + ")");
                }
                if (c.note() == null || c.note().isBlank()) {
                    problems.add(knob.optionName() + " is APPROXIMATE without a note saying what the bound means");
                }
            } else if (c.fidelity() == Fidelity.UNSUPPORTED && (c.note() == null || c.note().isBlank())) {
                problems.add(knob.optionName() + " is UNSUPPORTED without a reason");
            }
        }
        return problems;
    }

    /** The kit's setup check for every rule: null when the provider is found and fully declared. */
    static String setupProblem(String name) {
        String problem = lookupProblem(name);
        if (problem != null) {
            return problem + " (SETUP-1)";
        }
        List<String> problems = declarationProblems(named(name).get(0));
        if (!problems.isEmpty()) {
            return "the capabilities of '" + name + "' are incomplete: " + String.join("; ", problems)
                    + ". Declare every Knob, e.g. Capabilities.builder().allExact().set(...).build() (SETUP-2)";
        }
        return null;
    }
}
