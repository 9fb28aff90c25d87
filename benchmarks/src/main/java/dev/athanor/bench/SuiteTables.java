package dev.athanor.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;

/**
 * Tables derived from JMH results: what Athanor adds per cycle ({@link PoolOverhead}: impl=athanor against impl=raw
 * of the same backend, method and thread count) and each query path against raw JDBC ({@link QueryPath}). Scores in
 * time per operation are compared directly; throughput scores are turned into time per operation first. The tables
 * use each benchmark's best iteration (see {@link Score}).
 */
public final class SuiteTables {
    private SuiteTables() {
    }

    /**
     * One result reduced to what the tables need: the mean time per operation and the best iteration's. On a
     * machine doing other work, noise only ever adds time, so the best iteration is the steadier estimate of what
     * the code costs; on a quiet machine the two agree.
     */
    record Score(String benchmark, String method, Map<String, String> params, int threads, double meanNs,
                 double nsPerOp) {
    }

    static List<Score> scores(Collection<RunResult> results) {
        List<Score> scores = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String full = p.getBenchmark();
            int dot = full.lastIndexOf('.');
            String method = full.substring(dot + 1);
            String clazz = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            String unit = r.getPrimaryResult().getScoreUnit();
            double best = Double.NaN;
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    double ns = nsPerOp(iteration.getPrimaryResult().getScore(), unit, p.getThreads());
                    if (Double.isNaN(best) || ns < best) {
                        best = ns;
                    }
                }
            }
            double mean = nsPerOp(r.getPrimaryResult().getScore(), unit, p.getThreads());
            scores.add(new Score(clazz, method, params, p.getThreads(), mean, Double.isNaN(best) ? mean : best));
        }
        return scores;
    }

    /**
     * Nanoseconds per operation from a JMH score: {@code ns/op}, {@code us/op}, … directly; {@code ops/s},
     * {@code ops/us}, … as threads ÷ throughput (each thread runs operations back to back).
     */
    static double nsPerOp(double score, String unit, int threads) {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            return Double.NaN;
        }
        if (parts[1].equals("op")) {
            return score * nanos(parts[0]);
        }
        if (parts[0].equals("ops")) {
            return score > 0 ? threads * nanos(parts[1]) / score : Double.NaN;
        }
        return Double.NaN;
    }

    private static double nanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
    }

    /**
     * PoolOverhead: Athanor against the raw pool per backend, method and thread count. Empty when nothing pairs.
     */
    public static String overhead(Collection<RunResult> results) {
        List<Score> all = scores(results);
        StringBuilder sb = new StringBuilder();
        for (Score athanor : all) {
            if (!athanor.benchmark().equals("PoolOverhead") || !"athanor".equals(athanor.params().get("impl"))) {
                continue;
            }
            Score raw = twin(all, athanor, "raw");
            if (raw == null) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append("What Athanor adds per cycle (PoolOverhead, stub driver; ns per operation per thread, best"
                        + " iteration):\n");
                sb.append(String.format(Locale.ROOT, "%-18s %7s %-8s %9s %11s %9s %12s%n", "cycle", "threads",
                        "backend", "raw ns", "athanor ns", "added ns", "thrpt vs raw"));
            }
            sb.append(String.format(Locale.ROOT, "%-18s %7d %-8s %9.1f %11.1f %+9.1f %11.2f×%n",
                    athanor.method(), athanor.threads(), athanor.params().get("backend"), raw.nsPerOp(),
                    athanor.nsPerOp(), athanor.nsPerOp() - raw.nsPerOp(), raw.nsPerOp() / athanor.nsPerOp()));
        }
        return sb.toString();
    }

    private static Score twin(List<Score> all, Score athanor, String impl) {
        for (Score s : all) {
            if (s.benchmark().equals("PoolOverhead") && s.method().equals(athanor.method())
                    && s.threads() == athanor.threads() && impl.equals(s.params().get("impl"))
                    && s.params().get("backend").equals(athanor.params().get("backend"))
                    && s.params().get("poolSize").equals(athanor.params().get("poolSize"))) {
                return s;
            }
        }
        return null;
    }

    /** QueryPath: every path's time per operation and its throughput relative to {@code *RawJdbc}. */
    public static String queryPaths(Collection<RunResult> results) {
        List<Score> all = scores(results);
        StringBuilder sb = new StringBuilder();
        for (String op : List.of("select", "insert")) {
            Score raw = null;
            for (Score s : all) {
                if (s.benchmark().equals("QueryPath") && s.method().equals(op + "RawJdbc")) {
                    raw = s;
                }
            }
            if (raw == null) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append("Query paths (QueryPath, embedded H2, backend ").append(raw.params().get("backend"))
                        .append("; best iteration; throughput relative to raw JDBC on the same pool):\n");
                sb.append(String.format(Locale.ROOT, "%-8s %-20s %10s %12s%n", "op", "path", "ns/op", "vs raw JDBC"));
            }
            for (Score s : all) {
                if (s.benchmark().equals("QueryPath") && s.method().startsWith(op)
                        && s.threads() == raw.threads()) {
                    sb.append(String.format(Locale.ROOT, "%-8s %-20s %,10.0f %11.2f×%n", op,
                            s.method().substring(op.length()), s.nsPerOp(), raw.nsPerOp() / s.nsPerOp()));
                }
            }
        }
        return sb.toString();
    }
}
