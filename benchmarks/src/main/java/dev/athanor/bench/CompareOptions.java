package dev.athanor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code ./compare}, parsed and checked: a wrong value fails with a message saying what was expected
 * and what was found, before anything runs.
 *
 * @param url       the database (null: embedded H2); may hold a password, never printed unmasked
 * @param threads   benchmark threads, more than the largest pool in quick mode so checkouts wait
 * @param duration  measured seconds per configuration
 * @param full      the bigger matrix
 * @param backends  backends to compare, in order
 * @param outputDir where {@code <timestamp>/} is written
 * @param help      print usage and exit
 */
public record CompareOptions(String url, int threads, int duration, boolean full, List<String> backends,
                             Path outputDir, boolean help) {

    public static final int DEFAULT_THREADS = 16;
    public static final int DEFAULT_DURATION = 2;
    public static final int DEFAULT_FULL_DURATION = 5;
    public static final Path DEFAULT_OUTPUT = Path.of("benchmarks", "results");

    public static final String USAGE = String.join("\n",
            "Usage: ./compare [options]",
            "",
            "Compares Athanor's pool backends on one workload (check out, select one row by primary key, return)",
            "and recommends a backend, poolSize, maxOverflow and prePing for it.",
            "",
            "Options:",
            "  --url URL          database to measure (default: embedded H2), e.g.",
            "                     postgresql://user:password@127.0.0.1:5432/db or mariadb://user@127.0.0.1/db",
            "                     (tables with unique names are created and dropped)",
            "  --threads N        benchmark threads (default " + DEFAULT_THREADS + ")",
            "  --duration S       measured seconds per configuration (default " + DEFAULT_DURATION + ", --full: "
                    + DEFAULT_FULL_DURATION + ")",
            "  --full             the full matrix: poolSize 1..16, maxOverflow 0 or poolSize, prePing off/on",
            "  --backends LIST    comma-separated subset of " + String.join(",", Backends.names()),
            "  --output DIR       results directory (default benchmarks/results)",
            "  --no-build         (./compare only) reuse benchmarks/target/benchmarks.jar without building",
            "  --help             this text",
            "",
            "Writes DIR/<yyyyMMdd-HHmmss>/results.json (JMH), summary.md and index.html.");

    /** Parses {@code args}; throws {@link IllegalArgumentException} with every problem found. */
    public static CompareOptions parse(String... args) {
        String url = null;
        Integer threads = null;
        Integer duration = null;
        boolean full = false;
        boolean help = false;
        List<String> backends = Backends.names();
        Path output = DEFAULT_OUTPUT;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--full" -> full = true;
                case "--url", "--threads", "--duration", "--backends", "--output" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            problems.add(arg + " needs a value");
                            continue;
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--url" -> url = value.isBlank() ? null : value.trim();
                        case "--threads" -> threads = positive(arg, value, 1024, problems);
                        case "--duration" -> duration = positive(arg, value, 3600, problems);
                        case "--backends" -> backends = backends(value, problems);
                        default -> output = Path.of(value);
                    }
                }
                default -> problems.add("unknown option '" + arg + "' (see --help)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new CompareOptions(url, threads != null ? threads : DEFAULT_THREADS,
                duration != null ? duration : full ? DEFAULT_FULL_DURATION : DEFAULT_DURATION, full, backends,
                output, help);
    }

    private static Integer positive(String option, String value, int max, List<String> problems) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(option + " must be a whole number from 1 to " + max + ", was '" + value + "'");
        return null;
    }

    private static List<String> backends(String value, List<String> problems) {
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

    /** The command line as a user would type it, with the URL's password masked. */
    public String commandLine() {
        StringBuilder sb = new StringBuilder("./compare");
        if (url != null) {
            sb.append(" --url ").append(dev.athanor.Url.mask(url));
        }
        if (threads != DEFAULT_THREADS) {
            sb.append(" --threads ").append(threads);
        }
        if (duration != (full ? DEFAULT_FULL_DURATION : DEFAULT_DURATION)) {
            sb.append(" --duration ").append(duration);
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
