package dev.athanor.bench;

import java.util.List;

/**
 * One point of a scaling curve over all its forks: who ran it (an Athanor backend, on platform or virtual threads,
 * or pgbench), with how many clients, and what it measured.
 *
 * @param series     {@code hikari}, {@code hikari virtual} or {@link #PGBENCH}
 * @param clients    concurrent clients
 * @param throughput units of work per second, with its interval
 * @param p50Us      median latency of a unit, microseconds
 * @param p99Us      99th percentile latency
 * @param errors     units that failed while measuring
 * @param firstError the first failure's message, or empty
 */
record WorkloadResult(String series, int clients, Interval throughput, double p50Us, double p99Us, long errors,
                      String firstError) {
    static final String PGBENCH = "pgbench";

    /** The point measured by {@code forks}, one sample each. */
    static WorkloadResult of(String series, int clients, List<RunSample> forks) {
        LatencyHistogram all = new LatencyHistogram();
        long errors = 0;
        String firstError = "";
        for (RunSample s : forks) {
            all.add(s.latency());
            errors += s.errors();
            if (firstError.isEmpty()) {
                firstError = s.firstError();
            }
        }
        return new WorkloadResult(series, clients, Interval.of(forks.stream().map(RunSample::perSecond).toList()),
                all.percentileUs(50), all.percentileUs(99), errors, firstError);
    }

    boolean pgbench() {
        return series.equals(PGBENCH);
    }

    double mean() {
        return throughput.mean();
    }
}
