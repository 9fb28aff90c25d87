package dev.athanor.bench;

import dev.athanor.Dialect;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.Url;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./compare --workload select|tpcb|FILE}: the workload through Athanor Sessions on every backend at every
 * client count, each configuration in {@code --forks} JVMs interleaved with the others, and on PostgreSQL pgbench
 * with the same script and client count in the same run as the reference line. Creates pgbench's tables under a
 * unique prefix ({@link WorkloadTables}) and drops them at the end, on failure and on Ctrl-C too (a shutdown hook).
 */
final class WorkloadCompare {
    /** Forked JVMs and pgbench processes running now, ended by the shutdown hook on Ctrl-C. */
    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    private final CompareOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final List<String> notes = new ArrayList<>();

    WorkloadCompare(CompareOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    static void track(Process p) {
        CHILDREN.add(p);
    }

    static void untrack(Process p) {
        CHILDREN.remove(p);
    }

    int execute() {
        WorkloadScript script;
        Dialect dialect;
        try {
            script = WorkloadScript.load(options.workload());
            dialect = options.url() == null ? Dialect.H2 : Url.parse(options.url()).dialect();
            if (options.virtual()) {
                WorkloadLoop.virtualThreads();
            }
        } catch (RuntimeException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        }
        String prefix = WorkloadTables.uniquePrefix();
        WorkloadScript renamed = script.withTablePrefix(prefix);
        WorkloadTables tables = options.url() != null && script.usesPgbenchTables()
                ? new WorkloadTables(options.url(), prefix) : null;
        Path work;
        Path dir;
        try {
            dir = Compare.resultsDir(options);
            work = Files.createTempDirectory("athanor-compare");
        } catch (IOException e) {
            err.println("compare: cannot write results: " + e.getMessage());
            return 2;
        }
        Thread cleanup = new Thread(() -> cleanUp(tables, work), "compare-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<Point, List<RunSample>> samples = new LinkedHashMap<>();
        Map<Point, String> failed = new LinkedHashMap<>();
        RunInfo info;
        try {
            Path scriptFile = Files.writeString(work.resolve("workload.sql"), renamed.text(), StandardCharsets.UTF_8);
            Path urlFile = options.url() == null ? null : UrlFile.write(options.url());
            String database = options.url() == null ? "embedded H2 (in-memory, one database per fork)"
                    : Url.mask(options.url());
            if (tables != null) {
                long start = System.nanoTime();
                tables.create(options.scale());
                out.printf(Locale.ROOT, "Created %s_{branches,tellers,accounts,history} at scale %d (%,d accounts)"
                                + " in %.1f s; they are dropped at the end.%n", prefix, options.scale(),
                        100_000L * options.scale(), (System.nanoTime() - start) / 1e9);
            }
            preflight(renamed, prefix);
            Optional<Pgbench> pgbench = pgbench(dialect);
            List<Point> plan = plan(pgbench.isPresent());
            int perRun = 2 + options.warmup() + options.duration();
            int runs = plan.size() * options.forks();
            out.printf(Locale.ROOT, "Running %s on %s: %s, %d configurations × %d forks, about %d s each (~%d min)."
                            + "%n", script.name(), database, describe(pgbench.isPresent()), plan.size(),
                    options.forks(), perRun, Math.max(1, Math.round(runs * perRun / 60.0)));
            info = RunInfo.current(options, database);
            if (info.busy()) {
                out.println("Note: the machine is busy (" + info.coresAndLoad() + "); the numbers will be noisy.");
            }
            int done = 0;
            for (int fork = 1; fork <= options.forks(); fork++) {
                for (Point point : plan) {
                    done++;
                    if (failed.containsKey(point)) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "[%d/%d] fork %d %-16s %4d clients ... ", done, runs, fork,
                            point.series(), point.clients());
                    out.flush();
                    try {
                        RunSample s = point.series().equals(WorkloadResult.PGBENCH)
                                ? pgbench.orElseThrow().run(scriptFile, point.clients(), options.scale(),
                                        options.warmup(), options.duration(), work)
                                : fork(point, scriptFile, prefix, urlFile);
                        if (s.mean() <= 0) {
                            throw new IllegalStateException("no unit completed" + (s.firstError().isEmpty() ? ""
                                    : "; first error: " + s.firstError()));
                        }
                        samples.computeIfAbsent(point, p -> new ArrayList<>()).add(s);
                        out.printf(Locale.ROOT, "%11s tx/s  p99 %9s ms%s%n", Recommendation.ops(s.mean()),
                                ScalingReport.ms(s.latency().percentileUs(99)),
                                s.errors() > 0 ? "  " + s.errors() + " failed: " + s.firstError() : "");
                    } catch (IOException | RuntimeException e) {
                        out.println("FAILED");
                        String why = Compare.rootMessage(e);
                        err.println("  " + why);
                        failed.put(point, point.series() + " with " + point.clients() + " clients: " + why);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("compare: " + Compare.rootMessage(e));
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("compare: interrupted");
            return 2;
        } finally {
            String problems = cleanUp(tables, work);
            if (tables != null) {
                out.println(problems.isEmpty() ? "Dropped " + prefix + "_*." : "compare: could not drop every"
                        + " table of " + prefix + "_*: " + problems);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs anyway, and dropping twice is harmless
            }
        }
        List<WorkloadResult> results = new ArrayList<>();
        samples.forEach((p, s) -> {
            if (!failed.containsKey(p)) {
                results.add(WorkloadResult.of(p.series(), p.clients(), s));
            }
        });
        String title = script.name() + (options.isolation() != null ? " (" + options.isolation() + ")" : "");
        ScalingReport report = new ScalingReport(info, title, options.poolSize(), results,
                new ArrayList<>(failed.values()), notes);
        try {
            Files.writeString(dir.resolve("results.csv"), csv(samples), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), report.markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), report.html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("compare: cannot write results: " + e.getMessage());
            return 2;
        }
        out.print(report.console());
        out.println();
        out.println("Results: " + dir + "/ (results.csv, summary.md, index.html)");
        return failed.isEmpty() ? 0 : 1;
    }

    /** One point of the plan: a series (backend, backend on virtual threads, or pgbench) at a client count. */
    record Point(String series, int clients) {
    }

    /** Client counts outermost, then the backends and pgbench: one fork of everything, then the next. */
    private List<Point> plan(boolean pgbench) {
        List<Point> plan = new ArrayList<>();
        for (int clients : options.clients()) {
            for (String backend : options.backends()) {
                plan.add(new Point(backend, clients));
                if (options.virtual()) {
                    plan.add(new Point(backend + " virtual", clients));
                }
            }
            if (pgbench) {
                plan.add(new Point(WorkloadResult.PGBENCH, clients));
            }
        }
        return plan;
    }

    private String describe(boolean pgbench) {
        return "clients " + options.clients().stream().map(String::valueOf).reduce((a, b) -> a + "," + b)
                .orElse("") + ", pool " + options.poolSize() + " per engine"
                + (options.isolation() != null ? ", isolation " + options.isolation() : "")
                + (pgbench ? ", pgbench alongside" : "");
    }

    /** Runs the script once per backend through a session, so a bad script or table fails before minutes pass. */
    private void preflight(WorkloadScript script, String prefix) {
        String url = options.url();
        WorkloadTables h2 = null;
        if (url == null) {
            url = WorkloadTables.h2Url(prefix + "_check");
            h2 = new WorkloadTables(url, prefix);
            h2.create(1);
        }
        try {
            for (String backend : options.backends()) {
                try (var engine = Backends.engine(backend, url, PoolConfig.of(1, 0, false), options.isolation())) {
                    SessionFactory sessions = SessionFactory.builder().bind(engine).build();
                    try (Session s = sessions.openSession()) {
                        script.run(s, script.variables(options.url() == null ? 1 : options.scale(), 0));
                    }
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the workload " + script.name() + " cannot run on backend '"
                            + backend + "': " + Compare.rootMessage(e), e);
                }
            }
        } finally {
            if (h2 != null) {
                h2.drop();
            }
        }
    }

    /** pgbench when it can be the reference line here; otherwise a note saying why there is none. */
    private Optional<Pgbench> pgbench(Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            notes.add("No pgbench reference: pgbench runs on PostgreSQL only, and this run is on "
                    + (options.url() == null ? "embedded H2" : dialect.name().toLowerCase(Locale.ROOT)) + ".");
            return Optional.empty();
        }
        Optional<Pgbench> pgbench = Pgbench.find(options.url());
        if (pgbench.isEmpty()) {
            notes.add("No pgbench reference: pgbench is not on the PATH (install PostgreSQL's client tools).");
            return pgbench;
        }
        try {
            int free = Pgbench.freeConnections(options.url());
            int most = options.clients().get(options.clients().size() - 1);
            if (most > free) {
                notes.add("pgbench holds one connection per client: runs with more than " + free + " clients"
                        + " (the connections this server has free) fail; Athanor's side needs "
                        + options.poolSize() + " per engine.");
            }
            notes.add("Reference: " + pgbench.get().version() + " -n -M prepared -f (the same script, on the same"
                    + " tables), one connection per client.");
        } catch (Exception e) {
            notes.add("pgbench: could not check the server's free connections: " + e.getMessage());
        }
        return pgbench;
    }

    private RunSample fork(Point point, Path script, String prefix, Path urlFile)
            throws IOException, InterruptedException {
        boolean virtual = point.series().endsWith(" virtual");
        String backend = virtual ? point.series().substring(0, point.series().indexOf(' ')) : point.series();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(PreWarm.JVM_ARGS));
        if (urlFile != null) {
            cmd.add("-Dathanor.bench.urlFile=" + urlFile);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkloadFork.class.getName(),
                "backend=" + backend, "poolSize=" + options.poolSize(), "clients=" + point.clients(),
                "virtual=" + virtual, "warmup=" + options.warmup(), "seconds=" + options.duration(),
                "scale=" + options.scale(), "script=" + script, "tables=" + prefix,
                "isolation=" + (options.isolation() == null ? "" : options.isolation().name())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        track(p);
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(options.warmup() + options.duration() + 120L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the forked JVM did not finish");
            }
        } finally {
            untrack(p);
        }
        for (String line : output.split("\\R")) {
            if (line.startsWith(RunSample.MARKER)) {
                return RunSample.decode(line);
            }
        }
        throw new IllegalStateException("the forked JVM exited with " + p.exitValue() + " and no result: "
                + Compare.lastLines(output, 6));
    }

    /** Ends the children, drops the tables, removes the work files; returns what could not be dropped. */
    private static synchronized String cleanUp(WorkloadTables tables, Path work) {
        CHILDREN.forEach(Process::destroy);
        String problems = tables == null ? "" : tables.drop();
        deleteTree(work);
        return problems;
    }

    /** Deletes a temporary directory and what is in it, as far as it can. */
    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it eventually
        }
    }

    private static String csv(Map<Point, List<RunSample>> samples) {
        StringBuilder sb = new StringBuilder("series,clients,fork,second,units_per_second\n");
        samples.forEach((p, forks) -> {
            for (int f = 0; f < forks.size(); f++) {
                double[] ps = forks.get(f).perSecond();
                for (int i = 0; i < ps.length; i++) {
                    sb.append(p.series()).append(',').append(p.clients()).append(',').append(f + 1).append(',')
                            .append(i + 1).append(',').append(String.format(Locale.ROOT, "%.1f", ps[i]))
                            .append('\n');
                }
            }
        });
        return sb.toString();
    }
}
