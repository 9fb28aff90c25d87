package dev.athanor.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one fork of one workload configuration measured: units of work completed in each measured second, units
 * that failed, and the latency of every measured unit. Written as one line by a forked JVM
 * ({@link #encode()}) and read back by {@code ./compare}.
 *
 * @param perSecond  completed units in each measured second
 * @param errors     units that failed during the measurement (not counted in {@code perSecond})
 * @param firstError the first failure's message, or empty
 * @param latency    latency of each completed unit
 */
record RunSample(double[] perSecond, long errors, String firstError, LatencyHistogram latency) {
    /** The prefix of the line a forked JVM prints its result on. */
    static final String MARKER = "athanor-compare-result ";

    /** Mean units per second. */
    double mean() {
        return Arrays.stream(perSecond).average().orElse(0);
    }

    String encode() {
        return MARKER + "perSecond=" + Arrays.stream(perSecond).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                .collect(Collectors.joining(";")) + " errors=" + errors + " latency=" + latency.encode()
                + " firstError=" + firstError.replaceAll("\\s+", " ");
    }

    /** Reads a line written by {@link #encode()}; fails on anything else. */
    static RunSample decode(String line) {
        if (!line.startsWith(MARKER)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        String rest = line.substring(MARKER.length());
        int fe = rest.indexOf(" firstError=");
        String firstError = fe < 0 ? "" : rest.substring(fe + " firstError=".length());
        Map<String, String> fields = new HashMap<>();
        for (String kv : (fe < 0 ? rest : rest.substring(0, fe)).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String ps = fields.getOrDefault("perSecond", "");
        double[] perSecond = ps.isEmpty() ? new double[0]
                : Arrays.stream(ps.split(";")).mapToDouble(Double::parseDouble).toArray();
        return new RunSample(perSecond, Long.parseLong(fields.getOrDefault("errors", "0")), firstError,
                LatencyHistogram.decode(fields.getOrDefault("latency", "")));
    }
}
