package dev.athanor.bench;

import java.sql.SQLException;

/**
 * Runs a benchmark's operation on one thread before JMH starts its threads, so that the JIT compiles the hot path
 * while the cores are free. Under contention 16 threads keep both cores of a small machine busy (HikariCP's hand-off
 * spins with {@code Thread.yield()}), the compiler threads get little CPU, code runs interpreted for seconds, and
 * throughput otherwise climbs for 10 s or more into the measurement: short runs then rank configurations by how fast
 * they warm up, not by how fast they run. The suites' forks also run with {@code -XX:-BackgroundCompilation}, so a
 * method recompiled once the threads contend waits for its compiled code instead of running interpreted meanwhile;
 * neither changes anything once the code is compiled, which JMH's warm-up iterations then make sure of.
 *
 * <p>{@code -Dathanor.bench.preWarmMillis=0} turns it off; the default is {@value #DEFAULT_MILLIS} ms.
 */
final class PreWarm {
    static final long DEFAULT_MILLIS = 1_500;
    /** JVM options of every fork that measures a database round trip (see above). */
    static final String[] JVM_ARGS = {"-Xms512m", "-Xmx512m", "-XX:-BackgroundCompilation"};

    private PreWarm() {
    }

    interface Operation {
        Object run() throws SQLException;
    }

    static void run(Operation operation) {
        long millis = Long.getLong("athanor.bench.preWarmMillis", DEFAULT_MILLIS);
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            while (System.nanoTime() - end < 0) {
                for (int i = 0; i < 100; i++) {
                    operation.run();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the operation failed while warming up: " + e, e);
        }
    }
}
