package dev.athanor.bench;

import dev.athanor.IsolationLevel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of {@code ./compare}, parsed and checked: a wrong value fails with a message saying what was expected
 * and what was found, before anything runs.
 *
 * @param url       the database (null: embedded H2); may hold a password, never printed unmasked
 * @param threads   benchmark threads of the pool matrix, more than the largest pool in quick mode so checkouts wait
 * @param duration  measured seconds per configuration and fork
 * @param warmup    warm-up seconds per configuration and fork
 * @param forks     JVMs per configuration, interleaved with the other configurations
 * @param full      the bigger matrix
 * @param backends  backends to compare, in order
 * @param outputDir where {@code <timestamp>/} is written
 * @param help      print usage and exit
 * @param workload  null for the pool matrix; else {@code select}, {@code tpcb} or the path of a pgbench-style script
 * @param clients   client counts of the scaling curve (workload mode), ascending
 * @param scale     pgbench scale of the workload tables (100,000 accounts each)
 * @param poolSize  the pool size of every engine in workload mode (maxOverflow 0)
 * @param virtual   also run the clients as virtual threads (JDK 21+)
 * @param isolation the engines' isolation level in workload mode (null: the database's default), e.g.
 *                  {@code AUTOCOMMIT} for reads that cost one round trip, as pgbench's
 */
public record CompareOptions(String url, int threads, int duration, int warmup, int forks, boolean full,
                             List<String> backends, Path outputDir, boolean help, String workload,
                             List<Integer> clients, int scale, int poolSize, boolean virtual,
                             IsolationLevel isolation) {

    public static final int DEFAULT_THREADS = 16;
    public static final int DEFAULT_DURATION = 2;
    public static final int DEFAULT_FULL_DURATION = 5;
    /**
     * Seconds of warm-up with all threads, after the pre-warm: three, as code the threads' contention deoptimises is
     * recompiled in the first one or two (measured on 2 cores: throughput is steady from the third second on).
     */
    public static final int DEFAULT_WARMUP = 3;
    public static final int DEFAULT_FORKS = 2;
    public static final int DEFAULT_WORKLOAD_DURATION = 3;
    public static final int DEFAULT_WORKLOAD_WARMUP = 2;
    public static final List<Integer> DEFAULT_CLIENTS = List.of(1, 4, 16, 64, 256);
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Path DEFAULT_OUTPUT = Path.of("benchmarks", "results");
    /** The built-in workloads; anything else names a script file. */
    public static final List<String> WORKLOADS = List.of("select", "tpcb");

    public static final String USAGE = String.join("\n",
            "Usage: ./compare [options]",
            "",
            "Without --workload: compares Athanor's pool backends on one operation (check out, select one row by",
            "primary key, return) over a matrix of pool settings, and recommends a backend, poolSize, maxOverflow",
            "and prePing. With --workload: runs a pgbench-style workload through Athanor Sessions for each backend",
            "and client count (a scaling curve), next to pgbench itself on PostgreSQL.",
            "",
            "Options:",
            "  --url URL          database to measure (default: embedded H2), e.g.",
            "                     postgresql://user:password@127.0.0.1:5432/db or mariadb://user@127.0.0.1/db",
            "                     (tables with unique names are created and dropped)",
            "  --threads N        threads of the pool matrix (default " + DEFAULT_THREADS + ")",
            "  --duration S       measured seconds per configuration and fork (default " + DEFAULT_DURATION
                    + ", --full: " + DEFAULT_FULL_DURATION + ", --workload: " + DEFAULT_WORKLOAD_DURATION + ")",
            "  --warmup S         warm-up seconds per configuration and fork (default " + DEFAULT_WARMUP
                    + ", --workload: " + DEFAULT_WORKLOAD_WARMUP + ")",
            "  --forks N          JVMs per configuration, interleaved with the others (default " + DEFAULT_FORKS
                    + ", at least 2)",
            "  --full             the full matrix: poolSize 1..16, maxOverflow 0 or poolSize, prePing off/on",
            "  --backends LIST    comma-separated subset of " + String.join(",", Backends.names()),
            "  --workload W       select | tpcb | FILE: pgbench's select-only or TPC-B-like script, or a",
            "                     pgbench-style script (\\set NAME random(a, b), SQL with :NAME variables)",
            "  --clients LIST     client counts of the scaling curve (default "
                    + String.join(",", DEFAULT_CLIENTS.stream().map(String::valueOf).toList()) + ")",
            "  --scale N          pgbench scale of the workload tables, 100,000 accounts each (default 1)",
            "  --pool-size N      pool size of every engine with --workload (default " + DEFAULT_POOL_SIZE
                    + ", maxOverflow 0)",
            "  --virtual          also run the clients as virtual threads (JDK 21 or later)",
            "  --isolation LEVEL  isolation level of the engines with --workload: one of "
                    + String.join(", ", levels()) + " (default: the database's);",
            "                     AUTOCOMMIT reads cost one round trip, as pgbench's do",
            "  --output DIR       results directory (default benchmarks/results)",
            "  --no-build         (./compare only) reuse benchmarks/target/benchmarks.jar without building",
            "  --help             this text",
            "",
            "Writes DIR/<yyyyMMdd-HHmmss>/summary.md, index.html and the raw results (results.json from JMH,",
            "or results.csv with --workload).");

    private static final Set<String> VALUED = Set.of("--url", "--threads", "--duration", "--warmup", "--forks",
            "--backends", "--output", "--workload", "--clients", "--scale", "--pool-size", "--isolation");

    private static List<String> levels() {
        return java.util.Arrays.stream(IsolationLevel.values()).map(Enum::name).toList();
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} with every problem found. */
    public static CompareOptions parse(String... args) {
        Parsed p = new Parsed();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (!VALUED.contains(arg)) {
                switch (arg) {
                    case "--help", "-h" -> p.help = true;
                    case "--full" -> p.full = true;
                    case "--virtual" -> p.virtual = true;
                    default -> p.problems.add("unknown option '" + arg + "' (see --help)");
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    p.problems.add(arg + " needs a value");
                    continue;
                }
                value = args[++i];
            }
            p.set(arg, value);
        }
        return p.build();
    }

    /** The options as read so far, and every problem found. */
    private static final class Parsed {
        final List<String> problems = new ArrayList<>();
        final Set<String> given = new LinkedHashSet<>();
        String url;
        Integer threads;
        Integer duration;
        Integer warmup;
        Integer forks;
        Integer scale;
        Integer poolSize;
        boolean full;
        boolean help;
        boolean virtual;
        List<String> backends = Backends.names();
        List<Integer> clients;
        String workload;
        IsolationLevel isolation;
        Path output = DEFAULT_OUTPUT;

        void set(String option, String value) {
            given.add(option);
            switch (option) {
                case "--url" -> url = value.isBlank() ? null : value.trim();
                case "--threads" -> threads = number(option, value, 1, 1024);
                case "--duration" -> duration = number(option, value, 1, 3600);
                case "--warmup" -> warmup = number(option, value, 0, 600);
                case "--forks" -> forks = number(option, value, 2, 20);
                case "--scale" -> scale = number(option, value, 1, 1000);
                case "--pool-size" -> poolSize = number(option, value, 1, 1024);
                case "--backends" -> backends = backends(value);
                case "--clients" -> clients = clients(value);
                case "--workload" -> workload = workload(value);
                case "--isolation" -> isolation = isolation(value);
                default -> output = Path.of(value);
            }
        }

        CompareOptions build() {
            if (workload == null) {
                for (String option : List.of("--clients", "--scale", "--pool-size", "--isolation")) {
                    if (given.contains(option)) {
                        problems.add(option + " applies to --workload runs only (the pool matrix uses --threads)");
                    }
                }
                if (virtual) {
                    problems.add("--virtual applies to --workload runs only");
                }
            } else {
                if (given.contains("--threads")) {
                    problems.add("--threads applies to the pool matrix; with --workload give --clients");
                }
                if (full) {
                    problems.add("--full applies to the pool matrix, not to --workload runs");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            boolean wl = workload != null;
            int defaultDuration = wl ? DEFAULT_WORKLOAD_DURATION : full ? DEFAULT_FULL_DURATION : DEFAULT_DURATION;
            return new CompareOptions(url, threads != null ? threads : DEFAULT_THREADS,
                    duration != null ? duration : defaultDuration,
                    warmup != null ? warmup : wl ? DEFAULT_WORKLOAD_WARMUP : DEFAULT_WARMUP,
                    forks != null ? forks : DEFAULT_FORKS, full, backends, output, help, workload,
                    clients != null ? clients : DEFAULT_CLIENTS, scale != null ? scale : 1,
                    poolSize != null ? poolSize : DEFAULT_POOL_SIZE, virtual, isolation);
        }

        private IsolationLevel isolation(String value) {
            try {
                return IsolationLevel.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("--isolation must be one of " + String.join(", ", levels()) + ", was '" + value + "'");
                return null;
            }
        }

        private Integer number(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(option + " must be a whole number from " + min + " to " + max + ", was '" + value + "'");
            return null;
        }

        private List<String> backends(String value) {
            Set<String> names = new LinkedHashSet<>();
            for (String part : value.split(",")) {
                String name = part.trim();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    names.add(Backends.require(name));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (names.isEmpty()) {
                problems.add("--backends must name at least one of " + String.join(", ", Backends.names()));
            }
            return List.copyOf(names);
        }

        private List<Integer> clients(String value) {
            Set<Integer> counts = new TreeSet<>();
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    Integer n = number("--clients", part, 1, 4096);
                    if (n != null) {
                        counts.add(n);
                    }
                }
            }
            if (counts.isEmpty()) {
                problems.add("--clients must list client counts from 1 to 4096, as in 1,4,16, was '" + value + "'");
            }
            return List.copyOf(counts);
        }

        private String workload(String value) {
            String w = value.trim();
            if (WORKLOADS.contains(w)) {
                return w;
            }
            if (w.isEmpty() || !Files.isRegularFile(Path.of(w))) {
                problems.add("--workload must be " + String.join(", ", WORKLOADS) + " or the path of a pgbench-style"
                        + " script; '" + w + "' is neither (no such file: " + Path.of(w).toAbsolutePath() + ")");
                return null;
            }
            return w;
        }
    }

    /** True for a {@code --workload} run (sessions, client counts) rather than the pool matrix. */
    public boolean workloadMode() {
        return workload != null;
    }

    /** The command line as a user would type it, with the URL's password masked. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder("./compare");
        if (url != null) {
            sb.append(" --url ").append(dev.athanor.Url.mask(url));
        }
        if (workload != null) {
            sb.append(" --workload ").append(workload);
            if (!clients.equals(DEFAULT_CLIENTS)) {
                sb.append(" --clients ").append(String.join(",", clients.stream().map(String::valueOf).toList()));
            }
            if (scale != 1) {
                sb.append(" --scale ").append(scale);
            }
            if (poolSize != DEFAULT_POOL_SIZE) {
                sb.append(" --pool-size ").append(poolSize);
            }
            if (isolation != null) {
                sb.append(" --isolation ").append(isolation);
            }
            if (virtual) {
                sb.append(" --virtual");
            }
        } else if (threads != DEFAULT_THREADS) {
            sb.append(" --threads ").append(threads);
        }
        int defaultDuration = workload != null ? DEFAULT_WORKLOAD_DURATION
                : full ? DEFAULT_FULL_DURATION : DEFAULT_DURATION;
        if (duration != defaultDuration) {
            sb.append(" --duration ").append(duration);
        }
        if (warmup != (workload != null ? DEFAULT_WORKLOAD_WARMUP : DEFAULT_WARMUP)) {
            sb.append(" --warmup ").append(warmup);
        }
        if (forks != DEFAULT_FORKS) {
            sb.append(" --forks ").append(forks);
        }
        if (full) {
            sb.append(" --full");
        }
        if (!backends.equals(Backends.names())) {
            sb.append(" --backends ").append(String.join(",", backends));
        }
        return sb.toString();
    }
}
