package dev.athanor.scaleout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the {@link Topology topologies} a test class names with {@link UsesServers}, once per test run, and tears
 * them down when the run ends (JUnit closes the root store's resources). A script that fails skips the class on a
 * developer machine but fails it when databases are required ({@code CI=true} or {@code athanor.requireDatabases}),
 * so CI never passes by skipping the scale-out suite.
 */
public final class Servers implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Servers.class);
    private static final long SCRIPT_TIMEOUT_SECONDS = 180;

    @Override
    public void beforeAll(ExtensionContext context) {
        UsesServers uses = context.getRequiredTestClass().getAnnotation(UsesServers.class);
        if (uses == null) {
            throw new IllegalStateException(context.getRequiredTestClass().getName() + " extends with Servers but has"
                    + " no @UsesServers");
        }
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        for (Topology t : uses.value()) {
            start(store, t);
        }
    }

    private static void start(ExtensionContext.Store store, Topology t) {
        if (t.needs() != null) {
            start(store, t.needs());
        }
        Running running = store.getOrComputeIfAbsent(t, Running::new, Running.class);
        if (running.problem != null) {
            if (required()) {
                Assertions.fail(running.problem);
            }
            Assumptions.abort(running.problem);
        }
    }

    static boolean required() {
        String ci = System.getenv("CI");
        return Boolean.getBoolean("athanor.requireDatabases") || ci != null && ci.strip().matches("(?i)true|1|yes");
    }

    /**
     * Runs the topology's script with {@code args} ({@code up}, {@code down}, or a script's own action such as
     * {@code stop 1}); fails the calling test when it does not succeed.
     */
    public static void script(Topology t, String... args) {
        String problem = run(t, args);
        if (problem != null) {
            Assertions.fail(problem);
        }
    }

    /** Runs {@code script args}; returns null on success, else what went wrong with the script's output. */
    static String run(Topology t, String... args) {
        String action = String.join(" ", args);
        Path script = Path.of(System.getProperty("athanor.scaleout.scripts", "scripts"), t.script());
        try {
            Path log = Files.createTempFile("athanor-" + t.name().toLowerCase() + "-", ".log");
            java.util.List<String> command = new java.util.ArrayList<>();
            command.add(script.toString());
            command.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return script + " " + action + " did not finish in " + SCRIPT_TIMEOUT_SECONDS + " s";
            }
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(log);
            return p.exitValue() == 0 ? null
                    : script + " " + action + " failed (exit " + p.exitValue() + "): " + out;
        } catch (IOException e) {
            return "could not run " + script + " " + action + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while running " + script + " " + action;
        }
    }

    /** A topology started for this run; {@code down} when JUnit closes the root store. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final Topology topology;
        final String problem;

        Running(Topology topology) {
            this.topology = topology;
            long start = System.nanoTime();
            this.problem = run(topology, "up");
            if (problem == null) {
                System.out.printf("[scaleout] %s up in %d ms%n", topology,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }

        @Override
        public void close() {
            String p = run(topology, "down");
            if (p != null) {
                System.err.println("[scaleout] " + p);
            }
        }
    }

}
