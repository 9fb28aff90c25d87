package dev.athanor.bench;

/**
 * What one configuration measured over all its forks. Throughput comes from the sample-time run by Little's law:
 * each thread runs operations back to back, so together they complete {@code threads / mean latency} per second, one
 * value per measured iteration; {@link Interval} turns those into a mean with its confidence interval. p50 and p99
 * are the latencies of the whole checkout → select → return cycle over every fork, under contention mostly the wait
 * for a connection.
 *
 * @param setup      the configuration
 * @param threads    benchmark threads
 * @param throughput operations per second, all threads together, with its interval
 * @param meanUs     mean cycle latency, microseconds
 * @param p50Us      median cycle latency
 * @param p99Us      99th percentile cycle latency
 * @param samples    latency samples taken
 */
public record Measurement(Setup setup, int threads, Interval throughput, double meanUs, double p50Us, double p99Us,
                          long samples) {

    /** The mean throughput, operations per second. */
    public double opsPerSec() {
        return throughput.mean();
    }

    /** Operations per second of {@code threads} threads whose operations took {@code meanUs} on average. */
    public static double fromLatency(int threads, double meanUs) {
        return meanUs > 0 ? threads * 1_000_000d / meanUs : 0;
    }
}
