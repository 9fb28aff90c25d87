package dev.athanor.micrometer;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where one of the pool's durations (create, wait, use time) goes. The default is a count and a total in two
 * {@link LongAdder}s, read by a {@link FunctionTimer} at each scrape: two uncontended adds per event, where a
 * Micrometer {@link Timer} also keeps a decaying max (a clock read and compare-and-sets per event). With histograms on
 * it is a real {@link Timer} publishing a percentile histogram, which the registry's filters can configure further.
 */
abstract class Durations {
    /** Records one duration. */
    abstract void record(long nanos);

    /** The meter registered for it. */
    abstract Meter meter();

    static Durations register(MeterRegistry registry, String name, Tags tags, String description, boolean histogram) {
        if (histogram) {
            Timer timer = Timer.builder(name).tags(tags).description(description).publishPercentileHistogram(true)
                    .register(registry);
            return new Timed(timer);
        }
        Summed summed = new Summed();
        // The timer holds its object weakly: this Durations is held by the pool listener, for as long as it records.
        summed.meter = FunctionTimer.builder(name, summed, Summed::count, Summed::totalNanos, TimeUnit.NANOSECONDS)
                .tags(tags).description(description).register(registry);
        return summed;
    }

    /** Count and total only. */
    private static final class Summed extends Durations {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();
        private Meter meter;

        @Override
        void record(long n) {
            count.increment();
            nanos.add(n);
        }

        long count() {
            return count.sum();
        }

        double totalNanos() {
            return nanos.sum();
        }

        @Override
        Meter meter() {
            return meter;
        }
    }

    /** A Micrometer timer with its histogram. */
    private static final class Timed extends Durations {
        private final Timer timer;

        Timed(Timer timer) {
            this.timer = timer;
        }

        @Override
        void record(long n) {
            timer.record(n, TimeUnit.NANOSECONDS);
        }

        @Override
        Meter meter() {
            return timer;
        }
    }
}
