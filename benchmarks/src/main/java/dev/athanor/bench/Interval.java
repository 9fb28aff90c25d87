package dev.athanor.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A throughput measured in several forks of one iteration each second: the mean of every iteration across the forks
 * with its 95 % confidence interval ({@code mean ± t·s/√n}, Student's t for {@code n - 1} degrees of freedom), and
 * each fork's own mean. Two configurations whose intervals overlap are tied: the data cannot tell them apart.
 *
 * <p>Iterations of one fork are not independent (a fork that started on a busy core stays slow), so the interval
 * alone can look tighter than the truth; {@link #forkSpread()} catches that case: when the forks of one
 * configuration disagree by more than {@link #UNSTABLE}, the machine was too busy for the run to decide anything
 * about it.
 *
 * @param mean      mean of all iterations, operations per second
 * @param halfWidth half the 95 % confidence interval (0 with a single iteration)
 * @param n         iterations
 * @param forkMeans each fork's mean, in run order
 */
public record Interval(double mean, double halfWidth, int n, double[] forkMeans) {
    /** Forks of one configuration disagreeing by more than this fraction of the mean: too noisy to decide. */
    public static final double UNSTABLE = 0.15;

    /** Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    public Interval {
        forkMeans = forkMeans.clone();
    }

    /** The interval of {@code forks}, each the per-second throughputs of one fork. */
    public static Interval of(List<double[]> forks) {
        int n = 0;
        double sum = 0;
        double[] forkMeans = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++) {
            double[] it = forks.get(f);
            forkMeans[f] = it.length == 0 ? 0 : Arrays.stream(it).average().orElse(0);
            for (double v : it) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new Interval(0, 0, 0, forkMeans);
        }
        double mean = sum / n;
        double squares = 0;
        for (double[] it : forks) {
            for (double v : it) {
                squares += (v - mean) * (v - mean);
            }
        }
        double half = n < 2 ? 0 : t95(n - 1) * Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        return new Interval(mean, half, n, forkMeans);
    }

    /** A single value with no spread (canned data, or a run of one iteration). */
    public static Interval exact(double value) {
        return new Interval(value, 0, 1, new double[] {value});
    }

    static double t95(int degreesOfFreedom) {
        return degreesOfFreedom <= 0 ? Double.NaN
                : degreesOfFreedom <= T95.length ? T95[degreesOfFreedom - 1] : 1.96;
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }

    /** The half-width as a fraction of the mean. */
    public double relative() {
        return mean > 0 ? halfWidth / mean : 0;
    }

    /** True when the two intervals share a value: neither configuration is measurably faster. */
    public boolean overlaps(Interval other) {
        return low() <= other.high() && other.low() <= high();
    }

    /** The largest fork mean minus the smallest, as a fraction of the mean (0 with one fork). */
    public double forkSpread() {
        if (forkMeans.length < 2 || mean <= 0) {
            return 0;
        }
        double min = Arrays.stream(forkMeans).min().orElse(0);
        double max = Arrays.stream(forkMeans).max().orElse(0);
        return (max - min) / mean;
    }

    /** True when the forks disagreed by more than {@link #UNSTABLE}: the machine was too busy to trust this. */
    public boolean unstable() {
        return forkSpread() > UNSTABLE;
    }

    /** {@code ±4%}, or {@code ±4%!} when the forks disagreed by more than {@link #UNSTABLE}; empty when exact. */
    public String label() {
        if (halfWidth <= 0 && !unstable()) {
            return "";
        }
        return String.format(Locale.ROOT, "±%.0f%%", 100 * relative()) + (unstable() ? "!" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interval i && i.mean == mean && i.halfWidth == halfWidth && i.n == n
                && Arrays.equals(i.forkMeans, forkMeans);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(mean) * 31 + Arrays.hashCode(forkMeans);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f ± %.1f (n=%d, forks %s)", mean, halfWidth, n,
                Arrays.toString(forkMeans));
    }
}
