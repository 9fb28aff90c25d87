package dev.athanor.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The configurations {@code ./compare} measures. Quick mode: every backend at poolSize 2, 4 and 4 with overflow 4,
 * pre-ping off and on, plus each raw native pool at poolSize 4 and one dedicated connection per thread — 22 runs of a
 * few seconds. {@code --full}: poolSize 1 to 16, with and without as much overflow, raw pools at every size.
 * Backends are interleaved, so a machine that gets busier during the run slows all of them alike.
 */
public final class ComparePlan {
    static final int[][] QUICK_SIZINGS = {{2, 0}, {4, 0}, {4, 4}};
    static final int[][] FULL_SIZINGS = {{1, 0}, {2, 0}, {2, 2}, {4, 0}, {4, 4}, {8, 0}, {8, 8}, {16, 0}, {16, 16}};
    static final int[] RAW_QUICK_SIZING = {4, 0};

    private ComparePlan() {
    }

    public static List<Setup> of(CompareOptions options) {
        int[][] sizings = options.full() ? FULL_SIZINGS : QUICK_SIZINGS;
        List<Setup> plan = new ArrayList<>();
        for (int[] sizing : sizings) {
            boolean rawHere = options.full() ? sizing[1] == 0
                    : sizing[0] == RAW_QUICK_SIZING[0] && sizing[1] == RAW_QUICK_SIZING[1];
            for (boolean prePing : new boolean[] {false, true}) {
                for (String backend : options.backends()) {
                    plan.add(Setup.athanor(backend, sizing[0], sizing[1], prePing));
                    if (rawHere && !prePing) {
                        plan.add(Setup.raw(backend, sizing[0], sizing[1], false));
                    }
                }
            }
        }
        plan.add(Setup.dedicated());
        return plan;
    }

    /** Seconds one configuration takes: JVM fork and setup, pre-warm ({@link PreWarm}), warm-up, measurement. */
    public static int secondsPerRun(CompareOptions options) {
        return 4 + warmupIterations(options) + options.duration();
    }

    /**
     * Seconds of warm-up with all threads, after the pre-warm: three, as code the threads' contention deoptimises is
     * recompiled in the first one or two (measured on 2 cores: throughput is steady from the third second on).
     */
    static int warmupIterations(CompareOptions options) {
        return 3;
    }
}
