package dev.athanor.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report of a {@code --workload} run: per client count, every series ranked with ties ({@link Ranking}) and its
 * ratio to pgbench; per series, where its throughput peaked and whether it fell more than {@link #FALL} past the
 * peak; and which backend to use, never resting on a difference within the intervals. Console text, Markdown and
 * a self-contained HTML page with the scaling charts.
 */
final class ScalingReport {
    /** Throughput this far below the peak at a higher client count counts as falling past it. */
    static final double FALL = 0.10;

    private final RunInfo info;
    private final String workload;
    private final int poolSize;
    private final List<WorkloadResult> results;
    private final List<String> failures;
    private final List<String> notes;

    ScalingReport(RunInfo info, String workload, int poolSize, List<WorkloadResult> results, List<String> failures,
                  List<String> notes) {
        this.info = info;
        this.workload = workload;
        this.poolSize = poolSize;
        this.results = List.copyOf(results);
        this.failures = List.copyOf(failures);
        this.notes = List.copyOf(notes);
    }

    /** Series in run order, pgbench last. */
    List<String> series() {
        Set<String> s = new LinkedHashSet<>();
        results.stream().filter(r -> !r.pgbench()).forEach(r -> s.add(r.series()));
        results.stream().filter(WorkloadResult::pgbench).forEach(r -> s.add(r.series()));
        return List.copyOf(s);
    }

    List<Integer> clients() {
        Set<Integer> c = new TreeSet<>();
        results.forEach(r -> c.add(r.clients()));
        return List.copyOf(c);
    }

    Optional<WorkloadResult> find(String series, int clients) {
        return results.stream().filter(r -> r.series().equals(series) && r.clients() == clients).findFirst();
    }

    /** Every series at {@code clients}, fastest first, ties where intervals overlap. */
    Ranking<WorkloadResult> ranking(int clients) {
        return Ranking.of(results.stream().filter(r -> r.clients() == clients).toList(), WorkloadResult::throughput);
    }

    /** {@code 0.93×}: this point's throughput over pgbench's at the same client count, or empty. */
    String vsPgbench(WorkloadResult r) {
        return find(WorkloadResult.PGBENCH, r.clients()).filter(p -> p.mean() > 0)
                .map(p -> CompareReport.ratio(r.mean() / p.mean())).orElse("");
    }

    /** Where {@code series} peaked, and whether it fell more than {@link #FALL} past the peak, beyond the noise. */
    String curve(String series) {
        List<WorkloadResult> points = results.stream().filter(r -> r.series().equals(series))
                .sorted(Comparator.comparingInt(WorkloadResult::clients)).toList();
        if (points.isEmpty()) {
            return series + ": nothing measured.";
        }
        WorkloadResult peak = points.stream().max(Comparator.comparingDouble(WorkloadResult::mean)).orElseThrow();
        StringBuilder sb = new StringBuilder(series).append(": peak ").append(Recommendation.ops(peak.mean()))
                .append(" tx/s at ").append(peak.clients()).append(peak.clients() == 1 ? " client" : " clients");
        Optional<WorkloadResult> low = points.stream().filter(r -> r.clients() > peak.clients())
                .min(Comparator.comparingDouble(WorkloadResult::mean));
        if (low.isEmpty()) {
            return sb.append(", the highest count measured: no point past the peak.").toString();
        }
        WorkloadResult l = low.get();
        double drop = 1 - l.mean() / peak.mean();
        sb.append("; past it, lowest at ").append(l.clients()).append(" clients: ")
                .append(Recommendation.ops(l.mean())).append(" tx/s, ").append(Recommendation.percent(drop))
                .append(" below the peak");
        if (drop > FALL && !l.throughput().overlaps(peak.throughput())) {
            sb.append(" — throughput falls more than ").append(Math.round(FALL * 100)).append("% past its peak.");
        } else if (drop > FALL) {
            sb.append(" — more than ").append(Math.round(FALL * 100)).append("%, but within the intervals: not"
                    + " shown to fall.");
        } else {
            sb.append(" — it holds within ").append(Math.round(FALL * 100)).append("% of its peak.");
        }
        return sb.toString();
    }

    /** Which backend to use, at the best Athanor point; ties and noise are said, never chosen on. */
    String recommendation() {
        List<WorkloadResult> athanor = results.stream().filter(r -> !r.pgbench()).toList();
        if (athanor.isEmpty()) {
            return "No Athanor configuration completed, so there is nothing to recommend; see the errors above.";
        }
        WorkloadResult best = athanor.stream().max(Comparator.comparingDouble(WorkloadResult::mean)).orElseThrow();
        Ranking<WorkloadResult> at = Ranking.of(athanor.stream().filter(r -> r.clients() == best.clients()).toList(),
                WorkloadResult::throughput);
        List<WorkloadResult> tied = at.leaders();
        StringBuilder sb = new StringBuilder();
        List<WorkloadResult> unstable = tied.stream().filter(r -> r.throughput().unstable()).toList();
        for (WorkloadResult r : unstable) {
            sb.append("The machine was too busy to decide: ").append(r.series()).append(" at ").append(r.clients())
                    .append(" clients varied by ").append(Recommendation.percent(r.throughput().forkSpread()))
                    .append(" between its forks (more than ").append(Recommendation.percent(Interval.UNSTABLE))
                    .append("); run again on a quieter machine, or with more --forks. ");
        }
        sb.append(best.series()).append(" reached the highest throughput: ").append(Recommendation.ops(best.mean()))
                .append(" ± ").append(Recommendation.ops(best.throughput().halfWidth())).append(" tx/s at ")
                .append(best.clients()).append(" clients with a pool of ").append(poolSize).append('.');
        if (tied.size() > 1) {
            sb.append(" Tied with it at that count (the 95% intervals overlap): ")
                    .append(String.join(", ", tied.stream().filter(r -> r != best).map(WorkloadResult::series)
                            .toList()))
                    .append("; this run cannot tell them apart, so choose among them on other grounds.");
        } else if (at.entries().size() > 1) {
            WorkloadResult next = at.entries().get(1);
            sb.append(" It is measurably ahead of ").append(next.series()).append(" (by ")
                    .append(Recommendation.percent(1 - next.mean() / best.mean())).append(").");
        }
        find(WorkloadResult.PGBENCH, best.clients()).ifPresent(p -> sb.append(" Athanor over ")
                .append(best.series()).append(" reached ").append(vsPgbench(best)).append(" pgbench at ")
                .append(best.clients()).append(" clients (pgbench: ").append(Recommendation.ops(p.mean()))
                .append(" tx/s on ").append(best.clients()).append(" connections)."));
        return sb.toString();
    }

    String console() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%s on %s, pool %d per engine (maxOverflow 0):%n", workload,
                info.database(), poolSize));
        sb.append(String.format(Locale.ROOT, "%7s %4s  %-16s %11s %7s %9s %9s %10s %7s%n", "clients", "#", "series",
                "tx/s", "±95%", "p50 ms", "p99 ms", "vs pgbench", "errors"));
        for (String[] row : rows()) {
            sb.append(String.format(Locale.ROOT, "%7s %4s  %-16s %11s %7s %9s %9s %10s %7s%n", (Object[]) row));
        }
        sb.append(String.format(Locale.ROOT, "%nScaling:%n"));
        for (String s : series()) {
            sb.append(CompareReport.wrap(curve(s), 100, "  ")).append(System.lineSeparator());
        }
        for (String n : notes) {
            sb.append(CompareReport.wrap(n, 100, "  ")).append(System.lineSeparator());
        }
        for (String f : failures) {
            sb.append(String.format(Locale.ROOT, "FAILED: %s%n", f));
        }
        sb.append(String.format(Locale.ROOT, "%nRecommendation:%n"));
        sb.append(CompareReport.wrap(recommendation(), 100, "  ")).append(System.lineSeparator());
        return sb.toString();
    }

    /** clients, rank, series, tx/s, ±, p50 ms, p99 ms, vs pgbench, errors; per client count, ranked. */
    List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (int c : clients()) {
            Ranking<WorkloadResult> ranking = ranking(c);
            for (int i = 0; i < ranking.entries().size(); i++) {
                WorkloadResult r = ranking.entries().get(i);
                rows.add(new String[] {Integer.toString(c), ranking.label(i), r.series(),
                    Recommendation.ops(r.mean()), r.throughput().label(), ms(r.p50Us()), ms(r.p99Us()),
                    vsPgbench(r), Long.toString(r.errors())});
            }
        }
        return rows;
    }

    static final String[] HEADER = {"clients", "#", "series", "tx/s", "±95%", "p50 ms", "p99 ms", "vs pgbench",
        "errors"};

    String markdown() {
        StringBuilder sb = new StringBuilder("# Athanor workload comparison: ").append(workload).append("\n\n");
        sb.append("| | |\n|---|---|\n");
        for (String[] kv : environment()) {
            sb.append("| ").append(kv[0]).append(" | ").append(kv[1]).append(" |\n");
        }
        sb.append("\n## Recommendation\n\n").append(recommendation()).append("\n\n## Scaling\n\n");
        for (String s : series()) {
            sb.append("- ").append(curve(s)).append('\n');
        }
        for (String n : notes) {
            sb.append("- ").append(n).append('\n');
        }
        sb.append("\n## Per client count, ranked\n\n| ").append(String.join(" | ", HEADER)).append(" |\n")
                .append("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (String[] row : rows()) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (!failures.isEmpty()) {
            sb.append("\n## Failed configurations\n\n");
            failures.forEach(f -> sb.append("- ").append(f).append('\n'));
        }
        if (info.busy()) {
            sb.append("\n**The machine was busy when the run started (").append(info.coresAndLoad())
                    .append("): these numbers are noisy; run again on a quiet machine before relying on them.**\n");
        }
        sb.append('\n').append(FOOTNOTE).append('\n');
        return sb.toString();
    }

    List<String[]> environment() {
        return List.of(new String[] {"Date", info.date()}, new String[] {"Command", "`" + info.command() + "`"},
                new String[] {"JDK", info.jdk()}, new String[] {"OS, cores", info.os() + ", " + info.coresAndLoad()},
                new String[] {"Database", info.database()},
                new String[] {"Workload", workload + " through Athanor Sessions (one unit of work per session),"
                        + " pool " + poolSize + " per engine"},
                new String[] {"Per configuration", info.perWorkloadRun()});
    }

    static final String FOOTNOTE = "tx/s are units of work (one run of the script, one transaction) per second,"
            + " the mean over every measured second of every fork; ±95% is its 95% confidence interval"
            + " (mean ± t·s/√n). A shared rank (1=) means the intervals overlap: the run cannot tell those apart."
            + " ! marks forks that disagreed by more than " + Math.round(100 * Interval.UNSTABLE) + "%. Latency is"
            + " a unit's, from opening the session to closing it (the wait for a pooled connection included);"
            + " pgbench's is from its per-transaction log.";

    String html() {
        List<String> series = series();
        List<String> categories = clients().stream().map(String::valueOf).toList();
        List<SvgChart.Series> tput = new ArrayList<>();
        List<SvgChart.Series> p99 = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            String s = series.get(i);
            boolean pg = s.equals(WorkloadResult.PGBENCH);
            String color = pg ? "#555555" : HtmlReport.COLORS[i % HtmlReport.COLORS.length];
            double[] t = new double[categories.size()];
            double[] l = new double[categories.size()];
            for (int c = 0; c < t.length; c++) {
                Optional<WorkloadResult> r = find(s, clients().get(c));
                t[c] = r.map(WorkloadResult::mean).orElse(Double.NaN);
                l[c] = r.map(x -> x.p99Us() / 1000).orElse(Double.NaN);
            }
            tput.add(new SvgChart.Series(s, color, pg || s.endsWith(" virtual"), t));
            p99.add(new SvgChart.Series(s, color, false, l));
        }
        StringBuilder sb = new StringBuilder(HtmlReport.head("Athanor workload comparison: " + workload, info));
        sb.append("<table>\n");
        for (String[] kv : environment()) {
            HtmlReport.row(sb, kv[0], kv[1].replace("`", ""));
        }
        sb.append("</table>\n<div class=\"rec\"><h2>Recommendation</h2>\n<p>").append(SvgChart.esc(recommendation()))
                .append("</p></div>\n<div class=\"charts\">\n")
                .append(SvgChart.line("Throughput vs clients (pool " + poolSize + ")", "tx/s", categories, tput))
                .append(SvgChart.logBars("p99 latency vs clients", "ms (log scale)", categories, p99))
                .append("</div>\n<h2>Scaling</h2>\n<ul>\n");
        for (String s : series) {
            sb.append("<li>").append(SvgChart.esc(curve(s))).append("</li>\n");
        }
        for (String n : notes) {
            sb.append("<li>").append(SvgChart.esc(n)).append("</li>\n");
        }
        sb.append("</ul>\n");
        HtmlReport.table(sb, "Per client count, ranked", HEADER, rows());
        HtmlReport.tail(sb, failures, info, FOOTNOTE + " Raw per-second numbers: results.csv.");
        return sb.toString();
    }

    /** Milliseconds from microseconds: {@code 0.84}, {@code 12.3}, {@code 1,204}. */
    static String ms(double us) {
        if (Double.isNaN(us)) {
            return "–";
        }
        double v = us / 1000;
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
