package dev.athanor.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Bounded polling for what only the database server can tell (its session list shrinks asynchronously after a
 * client closes): checks every 20 ms until the condition holds or the deadline passes. Used only where no latch or
 * event exists to wait on.
 */
final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Waits until {@code condition} holds; returns the milliseconds it took, or -1 after {@code timeout}. */
    static long until(Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() - deadline > 0) {
                return -1;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /** Waits until {@code value} is at most {@code max}; returns the last value seen. */
    static int atMost(Duration timeout, int max, IntSupplier value) {
        int[] last = new int[1];
        until(timeout, () -> (last[0] = value.getAsInt()) <= max);
        return last[0];
    }
}
