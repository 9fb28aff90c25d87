package dev.athanor.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Ranks measured things by the mean of their {@link Interval}, fastest first, with ties: an entry's rank is one more
 * than the number of entries measurably faster than it (whose whole interval lies above its own), so entries the
 * data cannot tell apart share a rank. The labels read {@code 1=}, {@code 1=}, {@code 3}: the first two cannot be
 * told apart, the third is measurably slower than both.
 *
 * @param <T>     what is ranked
 * @param entries fastest first
 * @param ranks   1-based rank of each entry (equal for ties)
 */
public record Ranking<T>(List<T> entries, int[] ranks) {

    public static <T> Ranking<T> of(List<T> items, Function<T, Interval> interval) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((T t) -> interval.apply(t).mean()).reversed());
        int[] ranks = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            Interval mine = interval.apply(sorted.get(i));
            ranks[i] = 1;
            for (T other : sorted) {
                if (interval.apply(other).low() > mine.high()) {
                    ranks[i]++;
                }
            }
        }
        return new Ranking<>(List.copyOf(sorted), ranks);
    }

    /** The entries nothing is measurably faster than (the fastest included). */
    public List<T> leaders() {
        List<T> tied = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (ranks[i] == 1) {
                tied.add(entries.get(i));
            }
        }
        return tied;
    }

    /** {@code 3}, or {@code 1=} when another entry shares the rank. */
    public String label(int index) {
        int r = ranks[index];
        int same = 0;
        for (int v : ranks) {
            same += v == r ? 1 : 0;
        }
        return same > 1 ? r + "=" : Integer.toString(r);
    }
}
