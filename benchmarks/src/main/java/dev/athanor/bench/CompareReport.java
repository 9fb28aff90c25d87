package dev.athanor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The comparison's tables, computed once from the measurements and rendered as console text or Markdown (the HTML
 * page, {@link HtmlReport}, reuses the rows). Pure functions of their inputs.
 */
public final class CompareReport {
    private final RunInfo info;
    private final List<Measurement> measurements;
    private final Recommendation recommendation;
    private final List<String> failures;

    public CompareReport(RunInfo info, List<Measurement> measurements, Recommendation recommendation,
                         List<String> failures) {
        this.info = info;
        this.measurements = List.copyOf(measurements);
        this.recommendation = recommendation;
        this.failures = List.copyOf(failures);
    }

    public RunInfo info() {
        return info;
    }

    public List<Measurement> measurements() {
        return measurements;
    }

    public Recommendation recommendation() {
        return recommendation;
    }

    public List<String> failures() {
        return failures;
    }

    /** Athanor configurations, fastest first. */
    public List<Measurement> ranked() {
        return ranking().entries();
    }

    /** Athanor configurations, fastest first, with ties where the intervals overlap. */
    public Ranking<Measurement> ranking() {
        List<Measurement> list = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.setup().kind() == Setup.Kind.ATHANOR) {
                list.add(m);
            }
        }
        return Ranking.of(list, Measurement::throughput);
    }

    /** Raw pools and the dedicated connection, with Athanor's ratio at the same settings where there is one. */
    public List<String[]> baselineRows() {
        List<String[]> rows = new ArrayList<>();
        double bestAthanor = ranked().isEmpty() ? 0 : ranked().get(0).opsPerSec();
        for (Measurement m : measurements) {
            Setup s = m.setup();
            String ratio;
            if (s.kind() == Setup.Kind.RAW) {
                Optional<Measurement> same = Recommendation.find(measurements, s.backend(), s.poolSize(),
                        s.maxOverflow(), s.prePing());
                ratio = same.map(a -> ratio(a.opsPerSec() / m.opsPerSec()) + " (Athanor over " + s.backend()
                        + ", same settings)").orElse("–");
            } else if (s.kind() == Setup.Kind.DEDICATED) {
                ratio = bestAthanor > 0 ? ratio(bestAthanor / m.opsPerSec()) + " (best Athanor run)" : "–";
            } else {
                continue;
            }
            rows.add(new String[] {s.describe(), Recommendation.ops(m.opsPerSec()), us(m.p50Us()), us(m.p99Us()),
                    ratio});
        }
        return rows;
    }

    /** Per backend and sizing: throughput with pre-ping off and on, and the cost of turning it on. */
    public List<String[]> pingRows() {
        List<String[]> rows = new ArrayList<>();
        for (Measurement off : measurements) {
            Setup s = off.setup();
            if (s.kind() != Setup.Kind.ATHANOR || s.prePing()) {
                continue;
            }
            Recommendation.find(measurements, s.backend(), s.poolSize(), s.maxOverflow(), true).ifPresent(on ->
                    rows.add(new String[] {s.backend(), s.sizing(), Recommendation.ops(off.opsPerSec()),
                            Recommendation.ops(on.opsPerSec()),
                            Recommendation.signedPercent(-pingCost(off, on))}));
        }
        return rows;
    }

    static double pingCost(Measurement off, Measurement on) {
        return off.opsPerSec() > 0 ? 1 - on.opsPerSec() / off.opsPerSec() : 0;
    }

    /** The ranked table as fixed-width text for the terminal. */
    public String console() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nRanked by throughput (%d threads, %s; check out, select by primary"
                + " key, return):%n", info.threads(), info.database()));
        sb.append(String.format(Locale.ROOT, "%4s  %-7s %8s %11s %7s %13s %7s %8s %10s %10s%n", "#", "backend",
                "poolSize", "maxOverflow", "prePing", "ops/s", "±95%", "vs best", "p50 µs", "p99 µs"));
        Ranking<Measurement> ranking = ranking();
        List<Measurement> ranked = ranking.entries();
        for (int i = 0; i < ranked.size(); i++) {
            Measurement m = ranked.get(i);
            Setup s = m.setup();
            sb.append(String.format(Locale.ROOT, "%4s  %-7s %8d %11d %7s %13s %7s %8s %10s %10s%n",
                    ranking.label(i), s.backend(), s.poolSize(), s.maxOverflow(), Setup.onOff(s.prePing()),
                    Recommendation.ops(m.opsPerSec()), noise(m), vsBest(m, ranked), us(m.p50Us()), us(m.p99Us())));
        }
        sb.append(String.format(Locale.ROOT, "  (n= : tied, the 95%% intervals overlap; ! : forks disagreed by more"
                + " than %.0f%%)%n", 100 * Interval.UNSTABLE));
        List<String[]> baselines = baselineRows();
        if (!baselines.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nBaselines:%n"));
            for (String[] row : baselines) {
                sb.append(String.format(Locale.ROOT, "  %-58s %13s ops/s  p99 %8s µs  Athanor at %s%n", row[0],
                        row[1], row[3], row[4]));
            }
        }
        for (String f : failures) {
            sb.append(String.format(Locale.ROOT, "FAILED: %s%n", f));
        }
        sb.append(String.format(Locale.ROOT, "%nRecommendation: %s%n", recommendation.headline()));
        sb.append(wrap(recommendation.text(), 100, "  ")).append(System.lineSeparator());
        return sb.toString();
    }

    /** The summary page in Markdown. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Athanor backend comparison\n\n");
        sb.append("| | |\n|---|---|\n");
        sb.append("| Date | ").append(info.date()).append(" |\n");
        sb.append("| Command | `").append(info.command()).append("` |\n");
        sb.append("| JDK | ").append(info.jdk()).append(" |\n");
        sb.append("| OS, cores | ").append(info.os()).append(", ").append(info.coresAndLoad()).append(" |\n");
        sb.append("| Database | ").append(info.database()).append(" |\n");
        sb.append("| Workload | ").append(info.threads()).append(" threads; each operation checks a connection out,"
                + " selects one row by primary key and returns the connection |\n");
        sb.append("| Per configuration | ").append(info.perConfiguration()).append(" (JMH sample time) |\n\n");

        sb.append("## Recommendation\n\n**").append(recommendation.headline()).append("**\n\n")
                .append(recommendation.text()).append("\n\n");

        sb.append("## Athanor over each backend, ranked\n\n");
        sb.append("| # | backend | poolSize | maxOverflow | prePing | ops/s | ±95% | vs best | p50 µs | p99 µs |\n");
        sb.append("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        Ranking<Measurement> ranking = ranking();
        List<Measurement> ranked = ranking.entries();
        for (int i = 0; i < ranked.size(); i++) {
            Measurement m = ranked.get(i);
            Setup s = m.setup();
            sb.append("| ").append(ranking.label(i)).append(" | ").append(s.backend()).append(" | ").append(s.poolSize())
                    .append(" | ").append(s.maxOverflow()).append(" | ").append(Setup.onOff(s.prePing()))
                    .append(" | ").append(Recommendation.ops(m.opsPerSec())).append(" | ").append(noise(m))
                    .append(" | ").append(vsBest(m, ranked))
                    .append(" | ").append(us(m.p50Us())).append(" | ").append(us(m.p99Us())).append(" |\n");
        }
        List<String[]> baselines = baselineRows();
        if (!baselines.isEmpty()) {
            sb.append("\n## Baselines\n\n| setup | ops/s | p50 µs | p99 µs | Athanor at |\n|---|---:|---:|---:|---|\n");
            for (String[] row : baselines) {
                sb.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
        }
        List<String[]> ping = pingRows();
        if (!ping.isEmpty()) {
            sb.append("\n## Pre-ping cost\n\n| backend | poolSize(+overflow) | prePing off ops/s | prePing on ops/s"
                    + " | change |\n|---|---|---:|---:|---:|\n");
            for (String[] row : ping) {
                sb.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
        }
        if (!failures.isEmpty()) {
            sb.append("\n## Failed configurations\n\n");
            for (String f : failures) {
                sb.append("- ").append(f).append('\n');
            }
        }
        if (info.busy()) {
            sb.append("\n**The machine was busy when the run started (").append(info.coresAndLoad())
                    .append("): these numbers are noisy; run again on a quiet machine before relying on them.**\n");
        }
        sb.append("\n").append(FOOTNOTE).append('\n');
        return sb.toString();
    }

    /** How to read the tables, under each of them. */
    static final String FOOTNOTE = "Throughput is threads ÷ mean latency, per measured second of the sample-time run;"
            + " ±95% is the 95% confidence interval of its mean over every measured second of every fork"
            + " (mean ± t·s/√n). A rank shared (1=) means the intervals overlap: the run cannot tell those"
            + " configurations apart, and the recommendation does not choose between them on speed. ! marks a"
            + " configuration whose forks disagreed by more than " + Math.round(100 * Interval.UNSTABLE) + "%: the"
            + " machine was too busy for its number to mean much. p50/p99 are latencies of the whole checkout →"
            + " select → return cycle (under contention mostly the wait for a free connection).";

    /** {@code ±4%}: this configuration's 95 % interval; {@code !} when its forks disagreed (see {@link Interval}). */
    static String noise(Measurement m) {
        return m.throughput().label();
    }

    static String vsBest(Measurement m, List<Measurement> ranked) {
        double best = ranked.isEmpty() ? 0 : ranked.get(0).opsPerSec();
        return best > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * m.opsPerSec() / best) : "–";
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static String us(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder(indent);
        int col = indent.length();
        for (String word : text.split(" ")) {
            if (col + word.length() + 1 > width && col > indent.length()) {
                out.append(System.lineSeparator()).append(indent);
                col = indent.length();
            } else if (col > indent.length()) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
