package dev.athanor.bench;

import java.util.Arrays;

/**
 * Latencies in logarithmic buckets 2 % wide, from 1 µs to about 100 s: constant memory whatever the rate, cheap to
 * record from one thread, mergeable across threads and forks, and written as text to cross from a forked JVM.
 * Percentiles are exact to the bucket (±1 %). Not thread-safe: one per recording thread.
 */
final class LatencyHistogram {
    private static final double GROWTH = Math.log(1.02);
    private static final int BUCKETS = 940;

    private final long[] counts = new long[BUCKETS];
    private long total;

    void recordNanos(long nanos) {
        double us = Math.max(nanos / 1000.0, 1.0);
        int i = (int) Math.min(BUCKETS - 1, Math.log(us) / GROWTH);
        counts[i]++;
        total++;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The latency below which {@code p} (0..100) percent of the recorded ones fall, in microseconds; NaN if none. */
    double percentileUs(double p) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(total * p / 100));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.exp((i + 0.5) * GROWTH);
            }
        }
        return Math.exp(BUCKETS * GROWTH);
    }

    /** {@code index:count,...} of the non-empty buckets. */
    String encode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] > 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(i).append(':').append(counts[i]);
            }
        }
        return sb.toString();
    }

    static LatencyHistogram decode(String text) {
        LatencyHistogram h = new LatencyHistogram();
        if (!text.isBlank()) {
            for (String pair : text.split(",")) {
                int colon = pair.indexOf(':');
                long n = Long.parseLong(pair.substring(colon + 1));
                h.counts[Integer.parseInt(pair.substring(0, colon))] += n;
                h.total += n;
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "LatencyHistogram[n=" + total + ", nonEmpty=" + Arrays.stream(counts).filter(c -> c > 0).count() + "]";
    }
}
