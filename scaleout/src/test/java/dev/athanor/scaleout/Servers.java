package dev.athanor.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        String problem = run(t, Map.of(), args);
        if (problem != null) {
            Assertions.fail(problem);
        }
    }

    /**
     * Runs {@code script args} with {@code env} added to the script's environment (e.g. its ports); returns null on
     * success, else what went wrong with the script's output.
     */
    static String run(Topology t, Map<String, String> env, String... args) {
        String action = String.join(" ", args);
        Path script = Path.of(System.getProperty("athanor.scaleout.scripts", "scripts"), t.script());
        try {
            Path log = Files.createTempFile("athanor-" + t.name().toLowerCase() + "-", ".log");
            List<String> command = new ArrayList<>();
            command.add(script.toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
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

    /**
     * Starts a private instance of {@code t}'s script with {@code env} (other ports than the shared topology's), for
     * a test that stops or breaks its servers; {@link Instance#close()} tears it down. A script that fails skips the
     * test, or fails it when databases are required, as for the shared topologies.
     */
    public static Instance startPrivate(Topology t, Map<String, String> env) {
        long start = System.nanoTime();
        String problem = run(t, env, "up");
        if (problem != null) {
            run(t, env, "down");
            if (required()) {
                Assertions.fail(problem);
            }
            Assumptions.abort(problem);
        }
        System.out.printf("[scaleout] private %s %s up in %d ms%n", t, env,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return new Instance(t, Map.copyOf(env));
    }

    /**
     * A TCP port free on 127.0.0.1 now, for a private instance: chosen by the system, so that private instances of
     * tests (and of other people running the suite at the same time) do not collide.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** A private instance started by {@link #startPrivate}; closing it stops its servers (idempotent). */
    public static final class Instance implements AutoCloseable {
        private final Topology topology;
        private final Map<String, String> env;
        private boolean down;

        private Instance(Topology topology, Map<String, String> env) {
            this.topology = topology;
            this.env = env;
        }

        @Override
        public synchronized void close() {
            if (!down) {
                down = true;
                String p = run(topology, env, "down");
                if (p != null) {
                    System.err.println("[scaleout] " + p);
                }
            }
        }
    }

    /** A topology started for this run; {@code down} when JUnit closes the root store. */
    private static final class Running implements AutoCloseable {
        final Topology topology;
        final String problem;

        Running(Topology topology) {
            this.topology = topology;
            long start = System.nanoTime();
            this.problem = run(topology, Map.of(), "up");
            if (problem == null) {
                System.out.printf("[scaleout] %s up in %d ms%n", topology,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }

        @Override
        public void close() {
            String p = run(topology, Map.of(), "down");
            if (p != null) {
                System.err.println("[scaleout] " + p);
            }
        }
    }
}
