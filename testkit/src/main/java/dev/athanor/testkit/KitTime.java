package dev.athanor.testkit;

import dev.athanor.testing.TimeScale;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The kit's time allowances, all multiplied by the system property {@code athanor.testkit.timeScale} (default 1, read
 * by {@link TimeScale}) so that a slow or busy machine can run the kit without false failures:
 * {@code -Dathanor.testkit.timeScale=3}.
 */
final class KitTime {
    /**
     * How long an EXACT rule about closing may take: "at once" still allows a close handed to the backend's own
     * thread to finish.
     */
    static final Duration GRACE = millis(250);

    /** Scheduling allowance on top of a timeout before a late failure counts as a broken rule. */
    static final Duration SLACK = millis(600);

    /** How long the database's own view of the open connections may lag behind the engine's. */
    static final Duration SETTLE = millis(3000);

    /** How long a quiet period lasts when the kit checks that nothing happens (no eager connects). */
    static final Duration QUIET = millis(300);

    private KitTime() {
    }

    /** {@code ms} milliseconds times the scale. */
    static Duration millis(long ms) {
        return TimeScale.millis(ms);
    }

    /** {@code d} times the scale. */
    static Duration scaled(Duration d) {
        return TimeScale.scaled(d);
    }

    /** Polls {@code condition} every few milliseconds; true as soon as it holds, false when {@code within} passed. */
    static boolean poll(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(Duration.ofMillis(5));
        }
    }

    /** True when {@code condition} held all along for {@code duration} (used to see that nothing happens). */
    static boolean holdsFor(BooleanSupplier condition, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            sleep(Duration.ofMillis(5));
        }
        return condition.getAsBoolean();
    }

    /** Sleeps; for rules about elapsed time (connection age, idle time), never to wait for another thread. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code 250 ms}, {@code 2.5 s}: for messages. */
    static String show(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
