package dev.athanor.testing;

import java.time.Duration;

/**
 * Upper bounds on elapsed time in tests, multiplied by the contract kit's setting {@code athanor.testkit.timeScale}
 * (default 1), so that a slow or busy machine ({@code -Dathanor.testkit.timeScale=3}) does not fail a test whose only
 * finding is a late scheduler. Lower bounds ("not before the timeout") are never scaled: a scheduler is never early.
 */
public final class TimeScale {
    /** The multiplier from {@code athanor.testkit.timeScale}. */
    public static final double FACTOR = factorFromProperty();

    private TimeScale() {
    }

    /** {@code d} times the scale. */
    public static Duration scaled(Duration d) {
        return Duration.ofNanos((long) (d.toNanos() * FACTOR));
    }

    /** {@code ms} milliseconds times the scale. */
    public static Duration millis(long ms) {
        return scaled(Duration.ofMillis(ms));
    }

    private static double factorFromProperty() {
        String raw = System.getProperty("athanor.testkit.timeScale", "1");
        try {
            double scale = Double.parseDouble(raw);
            if (scale >= 0.1 && scale <= 100) {
                return scale;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new IllegalArgumentException("athanor.testkit.timeScale must be a number in [0.1, 100], was '" + raw
                + "'");
    }
}
