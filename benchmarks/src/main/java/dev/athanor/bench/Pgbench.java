package dev.athanor.bench;

import dev.athanor.Url;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PostgreSQL's own benchmark, run as the reference line: {@code pgbench -n -M prepared -c CLIENTS -j THREADS
 * -T SECONDS -s SCALE -f SCRIPT -l} against the same tables and the same script text as Athanor's side, with the
 * password in {@code PGPASSWORD} (never on its command line). Its per-transaction log gives the same numbers as
 * {@link WorkloadLoop}: transactions completed in each second after the warm-up, and the latency of each.
 */
final class Pgbench {
    private final Path executable;
    private final Url url;

    private Pgbench(Path executable, Url url) {
        this.executable = executable;
        this.url = url;
    }

    /** pgbench from the PATH, for a PostgreSQL {@code url}; empty when it is not installed. */
    static Optional<Pgbench> find(String url) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Pgbench(candidate, Url.parse(url)));
            }
        }
        return Optional.empty();
    }

    /** {@code pgbench (PostgreSQL) 15.2}. */
    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /**
     * Connections the server can still give to a client that is not a superuser (pgbench holds one per client):
     * {@code max_connections} minus the reserved and the open ones.
     */
    static int freeConnections(String url) throws SQLException {
        try (Connection c = new PhysicalDataSource(url).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('max_connections')::int"
                     + " - current_setting('superuser_reserved_connections')::int"
                     + " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Runs {@code script} with {@code clients} connections; measures {@code seconds} after {@code warmup}. */
    RunSample run(Path script, int clients, int scale, int warmup, int seconds, Path workDir)
            throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory(workDir, "pgbench");
        try {
            int threads = Math.max(1, Math.min(clients, Runtime.getRuntime().availableProcessors()));
            List<String> cmd = new ArrayList<>(List.of(executable.toString(), "-n", "-M", "prepared",
                    "-c", Integer.toString(clients), "-j", Integer.toString(threads),
                    "-T", Integer.toString(warmup + seconds + 1), "-s", Integer.toString(scale),
                    "-f", script.toString(), "-l", "--log-prefix=" + logs.resolve("tx"),
                    "-h", url.host() == null || url.host().isEmpty() ? "localhost" : url.host()));
            if (url.port() > 0) {
                cmd.addAll(List.of("-p", Integer.toString(url.port())));
            }
            if (url.username() != null) {
                cmd.addAll(List.of("-U", url.username()));
            }
            cmd.add(url.database());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("PGPASSWORD");
            if (url.password() != null) {
                pb.environment().put("PGPASSWORD", url.password());
            }
            Process p = pb.start();
            WorkloadCompare.track(p);
            String output;
            try {
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(warmup + seconds + 120L, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("pgbench did not finish");
                }
            } finally {
                WorkloadCompare.untrack(p);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed (exit " + p.exitValue() + "): "
                        + Compare.lastLines(output, 4));
            }
            return fromLogs(logs, warmup, seconds);
        } finally {
            WorkloadCompare.deleteTree(logs);
        }
    }

    /**
     * Reads pgbench's per-transaction logs ({@code client_id transaction_no time script_no time_epoch time_us}, the
     * time in microseconds): the measured window starts {@code warmup} seconds after the first transaction began.
     */
    static RunSample fromLogs(Path dir, int warmup, int seconds) throws IOException {
        List<long[]> tx = new ArrayList<>();
        long failed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] c = line.trim().split("\\s+");
                    if (c.length < 6) {
                        continue;
                    }
                    if (!c[2].chars().allMatch(Character::isDigit)) {
                        failed++;
                        continue;
                    }
                    long latency = Long.parseLong(c[2]);
                    long end = Long.parseLong(c[4]) * 1_000_000 + Long.parseLong(c[5]);
                    tx.add(new long[] {end - latency, end, latency});
                }
            }
        }
        double[] perSecond = new double[seconds];
        LatencyHistogram latency = new LatencyHistogram();
        if (tx.isEmpty()) {
            return new RunSample(perSecond, failed, failed > 0 ? "every pgbench transaction failed" : "", latency);
        }
        long first = tx.stream().mapToLong(t -> t[0]).min().orElseThrow();
        long from = first + warmup * 1_000_000L;
        for (long[] t : tx) {
            long second = Math.floorDiv(t[1] - from, 1_000_000L);
            if (second >= 0 && second < seconds) {
                perSecond[(int) second]++;
                latency.recordNanos(t[2] * 1000);
            }
        }
        return new RunSample(perSecond, failed, failed > 0 ? failed + " pgbench transactions failed" : "", latency);
    }
}
