package dev.athanor.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The configurations {@code ./compare} measures without {@code --workload}. Quick mode: every backend at poolSize
 * 2, 4 and 4 with overflow 4 with pre-ping off, and at poolSize 4 with pre-ping on, plus each raw native pool at
 * poolSize 4 and one dedicated connection per thread — 16 configurations, each in {@code --forks} JVMs.
 * {@code --full}: poolSize 1 to 16, with and without as much overflow, pre-ping off and on, raw pools at every size.
 * Backends are interleaved, and so are the forks (every configuration's first fork, then every second one), so a
 * machine that gets busier during the run slows all of them alike instead of one.
 */
public final class ComparePlan {
    static final int[][] QUICK_SIZINGS = {{2, 0}, {4, 0}, {4, 4}};
    static final int[][] FULL_SIZINGS = {{1, 0}, {2, 0}, {2, 2}, {4, 0}, {4, 4}, {8, 0}, {8, 8}, {16, 0}, {16, 16}};
    /** The quick matrix's reference sizing: the raw pools, and pre-ping on. */
    static final int[] QUICK_REFERENCE = {4, 0};

    private ComparePlan() {
    }

    public static List<Setup> of(CompareOptions options) {
        int[][] sizings = options.full() ? FULL_SIZINGS : QUICK_SIZINGS;
        List<Setup> plan = new ArrayList<>();
        for (int[] sizing : sizings) {
            boolean reference = sizing[0] == QUICK_REFERENCE[0] && sizing[1] == QUICK_REFERENCE[1];
            boolean rawHere = options.full() ? sizing[1] == 0 : reference;
            boolean pingHere = options.full() || reference;
            for (boolean prePing : pingHere ? new boolean[] {false, true} : new boolean[] {false}) {
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

    /** Seconds one fork of a configuration takes: JVM fork and setup, pre-warm ({@link PreWarm}), warm-up, measure. */
    public static int secondsPerRun(CompareOptions options) {
        return 4 + options.warmup() + options.duration();
    }
}
