package dev.athanor.bench;

/**
 * What one configuration measured. Throughput is derived from the sample-time run by Little's law (each thread runs
 * operations back to back, so together they complete {@code threads / mean latency} per second); p50 and p99 are the
 * latencies of the whole checkout → select → return cycle, under contention mostly the wait for a connection.
 *
 * @param setup     the configuration
 * @param threads   benchmark threads
 * @param opsPerSec operations per second, all threads together
 * @param meanUs    mean cycle latency, microseconds
 * @param p50Us     median cycle latency
 * @param p99Us     99th percentile cycle latency
 * @param samples   latency samples taken
 * @param noise     half the spread of the measured iterations' mean latencies, as a fraction of the mean: how far
 *                  this run's own repetitions disagreed (0 with a single iteration)
 */
public record Measurement(Setup setup, int threads, double opsPerSec, double meanUs, double p50Us, double p99Us,
                          long samples, double noise) {

    /** A measurement from sample-time statistics in microseconds. */
    public static Measurement fromSampleTime(Setup setup, int threads, double meanUs, double p50Us, double p99Us,
                                             long samples, double noise) {
        double ops = meanUs > 0 ? threads * 1_000_000d / meanUs : 0;
        return new Measurement(setup, threads, ops, meanUs, p50Us, p99Us, samples, noise);
    }

    /** Half the spread of {@code iterationMeans} relative to their mean; 0 for fewer than two. */
    public static double noise(double... iterationMeans) {
        if (iterationMeans.length < 2) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : iterationMeans) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double mean = sum / iterationMeans.length;
        return mean > 0 ? (max - min) / 2 / mean : 0;
    }
}
