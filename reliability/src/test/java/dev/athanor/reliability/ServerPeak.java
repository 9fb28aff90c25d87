package dev.athanor.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most connections the server lists for a {@link Target}, sampled back to back on a platform thread of its own
 * for as long as it runs. A "never exceeds" check built from a few samples taken by the workers (one per 1,000
 * tasks, or one per 25 ms) can miss a peak that lasts less than the gap; here the gap is one listing query.
 *
 * <pre>{@code
 * try (ServerPeak peak = ServerPeak.start(target)) {
 *     ... the load ...
 *     assertThat(peak.stop()).isLessThanOrEqualTo(limit);
 * }
 * }</pre>
 */
final class ServerPeak implements AutoCloseable {
    private final Target target;
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    private ServerPeak(Target target) {
        this.target = target;
        thread = new Thread(this::sample, "server-peak");
        thread.setDaemon(true);
    }

    /** Starts sampling {@code target}'s server connections. */
    static ServerPeak start(Target target) {
        ServerPeak p = new ServerPeak(target);
        p.thread.start();
        return p;
    }

    private void sample() {
        while (!stopped) {
            try {
                peak.accumulateAndGet(target.serverConnections(), Math::max);
                samples.incrementAndGet();
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /** Stops sampling and returns the peak; fails when the server could not be listed. */
    int stop() throws InterruptedException {
        stopped = true;
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new AssertionError("the server-connection sampler did not stop within 30 s");
        }
        if (failure != null) {
            throw new AssertionError("listing the server's connections failed while sampling", failure);
        }
        return peak.get();
    }

    /** How many listings were taken: every one of them is in the peak. */
    long samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(30_000);
    }
}
