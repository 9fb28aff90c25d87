package dev.athanor.bench;

import dev.athanor.AthanorException;
import dev.athanor.Engine;
import dev.athanor.Url;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * {@code ./compare}: Athanor's main job in one command. Measures every backend over a small matrix of pool settings
 * on one operation (embedded H2 unless {@code --url}), prints a ranked table and a recommendation, and writes
 * {@code benchmarks/results/<timestamp>/} with the raw JMH JSON, a Markdown summary and an HTML page with charts.
 * With {@code --workload} it runs a pgbench-style workload instead ({@link WorkloadCompare}).
 *
 * <pre>{@code
 * ./compare                                   # quick: about 5 minutes on 2 cores
 * ./compare --url postgresql://postgres@127.0.0.1:5432/test --threads 32
 * ./compare --full --backends hikari,dbcp
 * }</pre>
 *
 * <p>Each configuration runs in {@code --forks} JVMs through JMH's Runner API, its forks interleaved with the
 * other configurations'; JMH's own output is kept back and shown only when a configuration fails.
 */
public final class Compare {
    private final CompareOptions options;
    private final PrintStream out;
    private final PrintStream err;

    Compare(CompareOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit status (0 ok, 1 some configuration failed, 2 bad usage or setup). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("compare: " + e.getMessage());
            err.println("Run ./compare --help for the options.");
            return 2;
        }
        if (options.help()) {
            out.println(CompareOptions.USAGE);
            return 0;
        }
        return new Compare(options, out, err).execute();
    }

    private int execute() {
        if (options.workloadMode()) {
            return new WorkloadCompare(options, out, err).execute();
        }
        String database;
        try {
            database = preflight();
        } catch (RuntimeException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        }
        List<Setup> plan = ComparePlan.of(options);
        int perRun = ComparePlan.secondsPerRun(options);
        int runs = plan.size() * options.forks();
        out.printf(Locale.ROOT, "Comparing %s on %s with %d threads: %d configurations × %d forks, about %d s each"
                        + " (~%d min).%n", String.join(", ", options.backends()), database, options.threads(),
                plan.size(), options.forks(), perRun, Math.max(1, Math.round(runs * perRun / 60.0)));
        RunInfo info = RunInfo.current(options, database);
        if (info.busy()) {
            out.println("Note: the machine is busy (" + info.coresAndLoad() + "); the numbers will be noisy.");
        }
        Path dir;
        Path urlFile = null;
        try {
            dir = resultsDir(options);
            if (options.url() != null) {
                urlFile = UrlFile.write(options.url());
            }
        } catch (IOException e) {
            err.println("compare: cannot write results: " + e.getMessage());
            return 2;
        }
        Map<Setup, List<RunResult>> forks = new LinkedHashMap<>();
        Map<Setup, String> failed = new LinkedHashMap<>();
        try {
            int done = 0;
            for (int fork = 1; fork <= options.forks(); fork++) {
                for (Setup setup : plan) {
                    done++;
                    if (failed.containsKey(setup)) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "[%d/%d] fork %d %-58s ", done, runs, fork, setup.describe() + " ...");
                    out.flush();
                    ByteArrayOutputStream jmhOutput = new ByteArrayOutputStream();
                    try {
                        RunResult result = runOne(setup, urlFile, jmhOutput);
                        forks.computeIfAbsent(setup, s -> new ArrayList<>()).add(result);
                        Measurement m = measurement(setup, List.of(result));
                        out.printf(Locale.ROOT, "%13s ops/s  p99 %8s µs%n", Recommendation.ops(m.opsPerSec()),
                                CompareReport.us(m.p99Us()));
                    } catch (RunnerException | RuntimeException e) {
                        String why = rootMessage(e);
                        out.println("FAILED");
                        err.println("  " + why);
                        err.println(tail(jmhOutput.toString(StandardCharsets.UTF_8), 15));
                        failed.put(setup, setup.describe() + ": " + why);
                    }
                }
            }
        } finally {
            if (urlFile != null) {
                try {
                    Files.deleteIfExists(urlFile);
                } catch (IOException ignored) {
                    // deleteOnExit was registered as well
                }
            }
        }
        List<RunResult> results = new ArrayList<>();
        List<Measurement> measurements = new ArrayList<>();
        for (Map.Entry<Setup, List<RunResult>> e : forks.entrySet()) {
            if (!failed.containsKey(e.getKey())) {
                results.add(merged(e.getValue()));
                measurements.add(measurement(e.getKey(), e.getValue()));
            }
        }
        List<String> failures = new ArrayList<>(failed.values());
        CompareReport report = new CompareReport(info, measurements, Recommendation.of(measurements), failures);
        try {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, dir.resolve("results.json").toString())
                    .writeOut(results);
            Files.writeString(dir.resolve("summary.md"), report.markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), HtmlReport.render(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("compare: cannot write results: " + e.getMessage());
            return 2;
        }
        out.print(report.console());
        out.println();
        out.println("Results: " + dir + "/ (results.json, summary.md, index.html)");
        return failures.isEmpty() ? 0 : 1;
    }

    /** Creates {@code <output>/<yyyyMMdd-HHmmss>/}. */
    static Path resultsDir(CompareOptions options) throws IOException {
        Path dir = options.outputDir().resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss", Locale.ROOT)));
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Checks, in this JVM and before minutes are spent, that the database is reachable and every backend can check
     * out a connection from it; returns the database's description.
     */
    private String preflight() {
        if (options.url() != null) {
            Url.parse(options.url());
        }
        try (BenchDatabase db = BenchDatabase.open(options.url())) {
            for (String backend : options.backends()) {
                try (Engine engine = Backends.engine(backend, db.url(), PoolConfig.of(1, 0, false))) {
                    engine.useConnection(c -> Queries.selectAthanor(c, db.selectSql(), 1));
                } catch (AthanorException e) {
                    throw new IllegalStateException("backend '" + backend + "' cannot run: " + e.getMessage(), e);
                }
            }
            return db.describe();
        }
    }

    private RunResult runOne(Setup setup, Path urlFile, ByteArrayOutputStream jmhOutput) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .threads(options.threads())
                .forks(1)
                .warmupIterations(options.warmup())
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(options.duration())
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        List<String> jvmArgs = new ArrayList<>(List.of(PreWarm.JVM_ARGS));
        if (urlFile != null) {
            jvmArgs.add("-Dathanor.bench.urlFile=" + urlFile);
        }
        b.jvmArgsAppend(jvmArgs.toArray(new String[0]));
        if (setup.kind() == Setup.Kind.DEDICATED) {
            b.include("\\.DedicatedConnection\\.contended$");
        } else {
            b.include("\\.PoolSettings\\.contended$")
                    .param("backend", setup.backend())
                    .param("poolSize", Integer.toString(setup.poolSize()))
                    .param("maxOverflow", Integer.toString(setup.maxOverflow()))
                    .param("prePing", Boolean.toString(setup.prePing()))
                    .param("impl", setup.kind() == Setup.Kind.RAW ? "raw" : "athanor");
        }
        PrintStream capture = new PrintStream(jmhOutput, true, StandardCharsets.UTF_8);
        // run(), not runSingle(): the latter counts the annotation's modes before the mode option narrows them.
        Collection<RunResult> results = new Runner(b.build(),
                OutputFormatFactory.createFormatInstance(capture, VerboseMode.NORMAL)).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one result for " + setup.describe() + ", got "
                    + results.size());
        }
        return results.iterator().next();
    }

    /** One run with the forks' results together, as JMH would have written it had it run them in a row. */
    static RunResult merged(List<RunResult> forks) {
        List<BenchmarkResult> all = new ArrayList<>();
        for (RunResult r : forks) {
            all.addAll(r.getBenchmarkResults());
        }
        return new RunResult(forks.get(0).getParams(), all);
    }

    /** The measurement of {@code setup} over its forks: every iteration's throughput, latencies over all samples. */
    static Measurement measurement(Setup setup, List<RunResult> forks) {
        RunResult all = merged(forks);
        int threads = all.getParams().getThreads();
        List<double[]> perFork = new ArrayList<>();
        for (BenchmarkResult fork : all.getBenchmarkResults()) {
            perFork.add(fork.getIterationResults().stream()
                    .mapToDouble(it -> Measurement.fromLatency(threads, it.getPrimaryResult().getScore())).toArray());
        }
        Statistics s = all.getPrimaryResult().getStatistics();
        return new Measurement(setup, threads, Interval.of(perFork), s.getMean(), s.getPercentile(50),
                s.getPercentile(99), s.getN());
    }

    /** The innermost cause's message; JMH wraps a fork's failure in exceptions of its own. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (true) {
            if (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            } else if (t.getSuppressed().length > 0) {
                t = t.getSuppressed()[0];
            } else {
                break;
            }
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** The last {@code n} lines of {@code text} on one line, joined by {@code " | "}. */
    static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\\R");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - n), lines.length));
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\\R");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            sb.append("  | ").append(all[i]).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
