package dev.athanor.bench;

import java.lang.management.ManagementFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where and how a comparison ran, for the report's header: a number means little without the JDK, the cores and
 * the command that produced it.
 *
 * @param date      when the run started, UTC, {@code yyyy-MM-dd HH:mm}
 * @param jdk       JVM name and version
 * @param os        operating system and architecture
 * @param cores     available processors
 * @param command   the command line, password masked
 * @param database  the database, password masked
 * @param threads   benchmark threads
 * @param warmup    warm-up iterations of 1 s per fork
 * @param measured  measured iterations of 1 s per fork
 * @param forks     JVMs per configuration
 * @param load      the system load average when the run started (negative when unknown)
 */
public record RunInfo(String date, String jdk, String os, int cores, String command, String database, int threads,
                      int warmup, int measured, int forks, double load) {

    /** This JVM's environment. */
    public static RunInfo current(CompareOptions options, String database) {
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm",
                Locale.ROOT)) + " UTC";
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return new RunInfo(date, jdk, os, Runtime.getRuntime().availableProcessors(), options.commandLine(),
                database, options.threads(), options.warmup(), options.duration(), options.forks(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** True when other work kept the machine's cores busy as the run started: its numbers are noisy. */
    public boolean busy() {
        return load > cores * 0.75;
    }

    /** {@code 2 cores, load 0.4 at start}. */
    public String coresAndLoad() {
        return cores + " cores" + (load >= 0 ? String.format(Locale.ROOT, ", load average %.1f at start", load) : "");
    }

    /** {@code 2 forks, interleaved; each 1.5 s pre-warm on one thread, 3 × 1 s warm-up, 2 × 1 s measured}. */
    public String perConfiguration() {
        return forks + " forks, interleaved with the other configurations; each "
                + String.format(Locale.ROOT, "%.1f", PreWarm.DEFAULT_MILLIS / 1000.0)
                + " s pre-warm on one thread, " + warmup + " × 1 s warm-up, " + measured + " × 1 s measured";
    }

    /** {@code 2 forks, interleaved; each 2 s warm-up, 3 × 1 s measured}: a workload run's schedule. */
    public String perWorkloadRun() {
        return forks + " forks, interleaved with the other configurations; each " + warmup + " s warm-up, "
                + measured + " × 1 s measured";
    }
}
