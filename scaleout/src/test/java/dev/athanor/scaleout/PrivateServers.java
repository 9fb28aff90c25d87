package dev.athanor.scaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private instance of a topology ({@link Servers#startPrivate}) on ports given in its environment, with what a
 * failover test does to it: stop one of its servers. {@link #close()} tears it down.
 */
public final class PrivateServers implements AutoCloseable {
    private final Topology topology;
    private final Map<String, String> env;
    private final Servers.Instance instance;

    private PrivateServers(Topology topology, Map<String, String> env, Servers.Instance instance) {
        this.topology = topology;
        this.env = Map.copyOf(env);
        this.instance = instance;
    }

    /** Starts the private instance (skipped, or failed when databases are required, if its script fails). */
    public static PrivateServers start(Topology topology, Map<String, String> env) {
        return new PrivateServers(topology, env, Servers.startPrivate(topology, env));
    }

    /** The data directory of one server of this instance ({@code primary}, {@code standby}, {@code replica}). */
    public Path dataDir(String server) {
        String base = System.getenv().getOrDefault("ATHANOR_SCALEOUT_DIR", "/tmp/athanor-scaleout");
        return switch (topology) {
            case PG_STANDBY -> Path.of(base, "pg-" + env.get("ATHANOR_PG_PRIMARY_PORT"), server);
            case MARIADB_REPLICA -> Path.of(base, "mariadb-" + env.get("ATHANOR_MARIADB_PRIMARY_PORT"), server);
            default -> throw new IllegalArgumentException("no data directories known for " + topology);
        };
    }

    /**
     * Stops one PostgreSQL server of this instance with {@code pg_ctl stop -m fast} (as the postgres user when run
     * as root): a fast shutdown sends the standby every WAL record first, so nothing committed is lost.
     */
    public void stopPostgresql(String server) throws IOException, InterruptedException {
        Path bin = Files.list(Path.of("/usr/lib/postgresql")).sorted().reduce((a, b) -> b).orElseThrow()
                .resolve("bin/pg_ctl");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(bin.toString(), "-D", dataDir(server).toString(), "-m", "fast", "-w", "-t", "30",
                "stop"));
        runOrFail(command);
    }

    /** Stops one MariaDB server of this instance (SIGTERM to the pid its pid file names), waiting until it exits. */
    public void stopMariadb(String server) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dataDir(server).resolve("mariadbd.pid")).strip());
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        h.destroy();
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("mariadbd " + pid + " did not stop in 30 s", e);
        }
    }

    private static void runOrFail(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out));
        }
    }

    @Override
    public void close() {
        instance.close();
    }
}
