package dev.athanor.bench;

import java.util.List;
import java.util.Locale;

/**
 * Small hand-written SVG charts (line and grouped bars) for the self-contained results page: no script, no font or
 * stylesheet from the network, so the page opens the same offline.
 */
final class SvgChart {
    static final int WIDTH = 680;
    static final int HEIGHT = 330;
    private static final int LEFT = 78;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 70;

    /** One named line or bar series; {@code NaN} where a value is missing. */
    record Series(String name, String color, boolean dashed, double[] values) {
    }

    private SvgChart() {
    }

    static String line(String title, String yLabel, List<String> categories, List<Series> series) {
        Scale y = Scale.of(series);
        StringBuilder sb = frame(title, yLabel, categories, y);
        double step = plotWidth() / (double) Math.max(1, categories.size());
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.values().length; i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = LEFT + step * (i + 0.5);
                path.append(path.length() == 0 ? "M" : " L").append(fmt(x)).append(',').append(fmt(y.y(v)));
                sb.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y.y(v)))
                        .append("\" r=\"3.5\" fill=\"").append(s.color()).append("\"><title>")
                        .append(esc(s.name() + " " + categories.get(i) + ": " + y.label(v)))
                        .append("</title></circle>\n");
            }
            sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
                    .append("\" stroke-width=\"2\"").append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "")
                    .append("/>\n");
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    static String bars(String title, String yLabel, List<String> categories, List<Series> series) {
        return bars(title, yLabel, categories, series, Scale.of(series));
    }

    /** Bars on a logarithmic axis, for values spanning orders of magnitude (latencies); values must be positive. */
    static String logBars(String title, String yLabel, List<String> categories, List<Series> series) {
        return bars(title, yLabel, categories, series, Scale.log(series));
    }

    private static String bars(String title, String yLabel, List<String> categories, List<Series> series, Scale y) {
        StringBuilder sb = frame(title, yLabel, categories, y);
        double group = plotWidth() / (double) Math.max(1, categories.size());
        double bar = group * 0.8 / Math.max(1, series.size());
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            for (int i = 0; i < s.values().length; i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                double x = LEFT + group * i + group * 0.1 + bar * si;
                double top = Math.min(y.y(v), y.y(y.base()));
                double h = Math.abs(y.y(v) - y.y(y.base()));
                sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(top)).append("\" width=\"")
                        .append(fmt(bar - 2)).append("\" height=\"").append(fmt(Math.max(h, 0.5)))
                        .append("\" fill=\"").append(s.color()).append("\"><title>")
                        .append(esc(s.name() + " " + categories.get(i) + ": " + y.label(v)))
                        .append("</title></rect>\n");
            }
        }
        legend(sb, series);
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder frame(String title, String yLabel, List<String> categories, Scale y) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\">\n");
        sb.append("<title>").append(esc(title)).append("</title>\n");
        sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">")
                .append(esc(title)).append("</text>\n");
        for (double t : y.ticks()) {
            double py = y.y(t);
            sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(fmt(py)).append("\" y2=\"").append(fmt(py)).append("\" stroke=\"#ddd\"/>\n");
            sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(py + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(esc(y.label(t))).append("</text>\n");
        }
        sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                .append(fmt(y.y(y.base()))).append("\" y2=\"").append(fmt(y.y(y.base())))
                .append("\" stroke=\"#666\"/>\n");
        double step = plotWidth() / (double) Math.max(1, categories.size());
        for (int i = 0; i < categories.size(); i++) {
            sb.append("<text x=\"").append(fmt(LEFT + step * (i + 0.5))).append("\" y=\"")
                    .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(esc(categories.get(i))).append("</text>\n");
        }
        sb.append("<text transform=\"translate(14,").append(TOP + plotHeight() / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\">").append(esc(yLabel))
                .append("</text>\n");
        return sb;
    }

    private static void legend(StringBuilder sb, List<Series> series) {
        int x = LEFT;
        int y = HEIGHT - 22;
        for (Series s : series) {
            sb.append("<line x1=\"").append(x).append("\" x2=\"").append(x + 22).append("\" y1=\"").append(y - 4)
                    .append("\" y2=\"").append(y - 4).append("\" stroke=\"").append(s.color())
                    .append("\" stroke-width=\"").append(s.dashed() ? 2 : 6).append('"')
                    .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>\n");
            sb.append("<text x=\"").append(x + 27).append("\" y=\"").append(y).append("\" font-size=\"11\">")
                    .append(esc(s.name())).append("</text>\n");
            x += 40 + 7 * s.name().length();
        }
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * A y axis from a "nice" minimum to a "nice" maximum, including zero; or, when {@code log}, from the power of ten
     * below the smallest value to the one above the largest, with a tick at each power.
     */
    private record Scale(double min, double max, double step, boolean log) {
        static Scale of(List<Series> series) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (double v : s.values()) {
                    if (!Double.isNaN(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (lo == Double.POSITIVE_INFINITY) {
                lo = 0;
                hi = 1;
            }
            lo = Math.min(lo, 0);
            hi = Math.max(hi, 0);
            if (hi - lo <= 0) {
                hi = lo + 1;
            }
            double step = nice((hi - lo) / 5);
            return new Scale(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step, false);
        }

        static Scale log(List<Series> series) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (Series s : series) {
                for (double v : s.values()) {
                    if (v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (hi == 0) {
                lo = 1;
                hi = 10;
            }
            double min = Math.pow(10, Math.floor(Math.log10(lo)));
            double max = Math.pow(10, Math.ceil(Math.log10(hi)));
            return new Scale(min, max > min ? max : min * 10, 10, true);
        }

        /** Where bars start: zero, or the bottom of a logarithmic axis. */
        double base() {
            return log ? min : 0;
        }

        static double nice(double raw) {
            double exp = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / exp;
            double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
            return n * exp;
        }

        double y(double v) {
            if (log) {
                double f = (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
                return TOP + plotHeight() * (1 - f);
            }
            return TOP + plotHeight() * (1 - (v - min) / (max - min));
        }

        double[] ticks() {
            if (log) {
                int n = (int) Math.round(Math.log10(max / min));
                double[] t = new double[n + 1];
                for (int i = 0; i <= n; i++) {
                    t[i] = min * Math.pow(10, i);
                }
                return t;
            }
            int n = (int) Math.round((max - min) / step);
            double[] t = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                t[i] = min + i * step;
            }
            return t;
        }

        String label(double v) {
            double a = Math.abs(v);
            if (a >= 1_000_000) {
                return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
            }
            if (a >= 10_000) {
                return String.format(Locale.ROOT, "%.0fk", v / 1_000);
            }
            if (a >= 100 || v == Math.rint(v)) {
                return String.format(Locale.ROOT, "%.0f", v);
            }
            return String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
