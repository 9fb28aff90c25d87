package dev.athanor.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as one self-contained HTML page: the run's environment, the recommendation, three inline SVG
 * charts (throughput vs pool size, p99 latency, pre-ping cost — one series per backend) and the tables of the
 * Markdown summary.
 */
final class HtmlReport {
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    private HtmlReport() {
    }

    static String render(CompareReport report) {
        RunInfo info = report.info();
        List<Measurement> ms = report.measurements();
        List<String> sizings = new ArrayList<>(sizings(ms));
        List<String> backends = new ArrayList<>(backends(ms));

        StringBuilder sb = new StringBuilder(head("Athanor backend comparison", info));
        sb.append("<table>\n");

        row(sb, "Date", info.date());
        row(sb, "Command", info.command());
        row(sb, "JDK", info.jdk());
        row(sb, "OS, cores", info.os() + ", " + info.coresAndLoad());
        row(sb, "Database", info.database());
        row(sb, "Workload", info.threads() + " threads; each operation checks a connection out, selects one row by"
                + " primary key and returns the connection");
        row(sb, "Per configuration", info.perConfiguration() + " (JMH sample time)");
        sb.append("</table>\n");

        Recommendation rec = report.recommendation();
        sb.append("<div class=\"rec\"><h2>Recommendation: ").append(esc(rec.headline())).append("</h2>\n<p>")
                .append(esc(rec.text())).append("</p></div>\n");

        sb.append("<div class=\"charts\">\n");
        List<SvgChart.Series> throughput = new ArrayList<>();
        List<SvgChart.Series> p99 = new ArrayList<>();
        List<SvgChart.Series> ping = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            String b = backends.get(i);
            String color = COLORS[i % COLORS.length];
            throughput.add(new SvgChart.Series(b + " prePing off", color, false,
                    values(ms, b, sizings, false, Measurement::opsPerSec)));
            throughput.add(new SvgChart.Series(b + " on", color, true,
                    values(ms, b, sizings, true, Measurement::opsPerSec)));
            p99.add(new SvgChart.Series(b, color, false, values(ms, b, sizings, false, Measurement::p99Us)));
            double[] cost = new double[sizings.size()];
            for (int s = 0; s < sizings.size(); s++) {
                Optional<Measurement> off = find(ms, b, sizings.get(s), false);
                Optional<Measurement> on = find(ms, b, sizings.get(s), true);
                cost[s] = off.isPresent() && on.isPresent()
                        ? -100 * CompareReport.pingCost(off.get(), on.get()) : Double.NaN;
            }
            ping.add(new SvgChart.Series(b, color, false, cost));
        }
        sb.append(SvgChart.line("Throughput vs pool size (poolSize+maxOverflow)", "ops/s", sizings, throughput));
        sb.append(SvgChart.logBars("p99 latency of a checkout → select → return cycle, prePing off",
                "µs (log scale)", sizings, p99));
        sb.append(SvgChart.bars("Throughput change with prePing on", "% vs prePing off", sizings, ping));
        sb.append("</div>\n");

        sb.append("<h2>Athanor over each backend, ranked</h2>\n<table>\n<tr><th>#</th><th>backend</th>")
                .append("<th>poolSize</th><th>maxOverflow</th><th>prePing</th><th>ops/s</th><th>±95%</th>")
                .append("<th>vs best</th><th>p50 µs</th><th>p99 µs</th></tr>\n");
        Ranking<Measurement> ranking = report.ranking();
        List<Measurement> ranked = ranking.entries();
        for (int i = 0; i < ranked.size(); i++) {
            Measurement m = ranked.get(i);
            Setup s = m.setup();
            cells(sb, ranking.label(i), s.backend(), Integer.toString(s.poolSize()),
                    Integer.toString(s.maxOverflow()), Setup.onOff(s.prePing()), Recommendation.ops(m.opsPerSec()),
                    CompareReport.noise(m), CompareReport.vsBest(m, ranked), CompareReport.us(m.p50Us()),
                    CompareReport.us(m.p99Us()));
        }
        sb.append("</table>\n");
        table(sb, "Baselines", new String[] {"setup", "ops/s", "p50 µs", "p99 µs", "Athanor at"},
                report.baselineRows());
        table(sb, "Pre-ping cost", new String[] {"backend", "poolSize(+overflow)", "prePing off ops/s",
            "prePing on ops/s", "change"}, report.pingRows());
        tail(sb, report.failures(), info, CompareReport.FOOTNOTE + " Raw JMH results: results.json.");
        return sb.toString();
    }

    /** The page up to its heading: the style every report page shares. */
    static String head(String title, RunInfo info) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) + ", "
                + esc(info.date()) + "</title>\n<style>\nbody{font-family:system-ui,sans-serif;max-width:1100px;"
                + "margin:2em auto;padding:0 1em;color:#222}\ntable{border-collapse:collapse;margin:1em 0}\n"
                + "td,th{border:1px solid #ccc;padding:4px 10px}\n"
                + "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
                + ".rec{background:#eef6ee;border-left:5px solid #2ca02c;padding:.8em 1.2em}\n"
                + ".charts{display:flex;flex-wrap:wrap;gap:1em}\nsvg{font-family:system-ui,sans-serif}\n"
                + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n";
    }

    /** Failures, the busy-machine warning, the footnote and the end of the page. */
    static void tail(StringBuilder sb, List<String> failures, RunInfo info, String footnote) {
        if (!failures.isEmpty()) {
            sb.append("<h2>Failed configurations</h2>\n<ul>\n");
            for (String f : failures) {
                sb.append("<li>").append(esc(f)).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        if (info.busy()) {
            sb.append("<p><strong>The machine was busy when the run started (").append(esc(info.coresAndLoad()))
                    .append("): these numbers are noisy; run again on a quiet machine before relying on them.")
                    .append("</strong></p>\n");
        }
        sb.append("<p><small>").append(esc(footnote)).append("</small></p>\n</body>\n</html>\n");
    }

    private static Set<String> sizings(List<Measurement> ms) {
        Set<String> set = new LinkedHashSet<>();
        for (Measurement m : ms) {
            if (m.setup().kind() == Setup.Kind.ATHANOR) {
                set.add(m.setup().sizing());
            }
        }
        return set;
    }

    private static Set<String> backends(List<Measurement> ms) {
        Set<String> set = new LinkedHashSet<>();
        for (Measurement m : ms) {
            if (m.setup().kind() == Setup.Kind.ATHANOR) {
                set.add(m.setup().backend());
            }
        }
        return set;
    }

    private static double[] values(List<Measurement> ms, String backend, List<String> sizings, boolean prePing,
                                   ToDoubleFunction<Measurement> metric) {
        double[] v = new double[sizings.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = find(ms, backend, sizings.get(i), prePing).map(metric::applyAsDouble).orElse(Double.NaN);
        }
        return v;
    }

    private static Optional<Measurement> find(List<Measurement> ms, String backend, String sizing, boolean prePing) {
        return ms.stream().filter(m -> m.setup().kind() == Setup.Kind.ATHANOR && m.setup().backend().equals(backend)
                && m.setup().sizing().equals(sizing) && m.setup().prePing() == prePing).findFirst();
    }

    static void row(StringBuilder sb, String key, String value) {
        sb.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    static void cells(StringBuilder sb, String... values) {
        sb.append("<tr>");
        for (String v : values) {
            boolean numeric = !v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '+'
                    || v.charAt(0) == '-');
            sb.append(numeric ? "<td class=\"n\">" : "<td>").append(esc(v)).append("</td>");
        }
        sb.append("</tr>\n");
    }

    static void table(StringBuilder sb, String title, String[] header, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append("<h2>").append(esc(title)).append("</h2>\n<table>\n<tr>");
        for (String h : header) {
            sb.append("<th>").append(esc(h)).append("</th>");
        }
        sb.append("</tr>\n");
        for (String[] r : rows) {
            cells(sb, r);
        }
        sb.append("</table>\n");
    }

    private static String esc(String s) {
        return SvgChart.esc(s);
    }
}
