package dev.athanor.bench;

import dev.athanor.IsolationLevel;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The forked JVM of a workload run: runs {@link WorkloadLoop} once and prints the {@link RunSample} on one line.
 * Arguments are {@code key=value}: {@code backend}, {@code poolSize}, {@code clients}, {@code virtual},
 * {@code warmup}, {@code seconds}, {@code scale}, {@code script} (a file, its tables already renamed) and
 * {@code tables} (their prefix: created here in a fresh embedded H2 database when the URL is H2, else already on the
 * server). The URL comes as for the JMH forks ({@link BenchDatabase#configuredUrl()}), never on the command line.
 */
public final class WorkloadFork {
    private WorkloadFork() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        WorkloadScript script = WorkloadScript.load(Path.of(a.get("script")).toString());
        WorkloadLoop.Config cfg = new WorkloadLoop.Config(a.get("backend"), Integer.parseInt(a.get("poolSize")),
                Integer.parseInt(a.get("clients")), Boolean.parseBoolean(a.get("virtual")),
                Integer.parseInt(a.get("warmup")), Integer.parseInt(a.get("seconds")),
                Integer.parseInt(a.get("scale")),
                a.getOrDefault("isolation", "").isEmpty() ? null : IsolationLevel.valueOf(a.get("isolation")));
        String url = BenchDatabase.configuredUrl();
        WorkloadTables tables = null;
        if (url == null) {
            url = WorkloadTables.h2Url(a.get("tables"));
            tables = new WorkloadTables(url, a.get("tables"));
            tables.create(cfg.scale());
        }
        RunSample sample = WorkloadLoop.run(url, script, cfg);
        System.out.println(sample.encode());
        System.out.flush();
        System.exit(0);
    }
}
