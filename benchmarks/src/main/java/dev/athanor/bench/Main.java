package dev.athanor.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The shaded jar's entry point: JMH's command line, unchanged ({@code java -jar benchmarks.jar PoolOverhead -t 4
 * -prof gc}), except that results are always written as JSON ({@code jmh-result.json} unless {@code -rff} says
 * otherwise) and that the derived tables are printed at the end: the nanoseconds Athanor adds per cycle for
 * {@link PoolOverhead} and each path's throughput relative to raw JDBC for {@link QueryPath}.
 *
 * <p>{@code java -Durl=postgresql://user:pw@host/db -jar benchmarks.jar PoolSettings} runs the database benchmarks
 * on that database: the URL reaches the forked JVMs through a private temporary file, so a password stays out of
 * the JVM arguments that JMH prints and records ({@code ATHANOR_BENCH_URL} in the environment works too).
 */
public final class Main {
    private static final List<String> JMH_ONLY = List.of("-h", "-l", "-lp", "-lprof", "-lrf", "-lh");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (JMH_ONLY.contains(a)) {
                org.openjdk.jmh.Main.main(args);
                return;
            }
        }
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
        if (!cmd.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON);
        }
        String url = System.getProperty("url");
        if (url != null && !url.isBlank()) {
            // JMH copies the host's JVM arguments to the forks (and into the results): replace -Durl by the file.
            List<String> jvmArgs = new ArrayList<>();
            for (String arg : cmd.getJvmArgs().orElse(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
                if (!arg.startsWith("-Durl=")) {
                    jvmArgs.add(arg);
                }
            }
            jvmArgs.add("-Dathanor.bench.urlFile=" + UrlFile.write(url));
            options.jvmArgs(jvmArgs.toArray(new String[0]));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        print(results, System.out);
    }

    static void print(Collection<RunResult> results, PrintStream out) {
        String overhead = SuiteTables.overhead(results);
        if (!overhead.isEmpty()) {
            out.println();
            out.print(overhead);
        }
        String paths = SuiteTables.queryPaths(results);
        if (!paths.isEmpty()) {
            out.println();
            out.print(paths);
        }
    }
}
