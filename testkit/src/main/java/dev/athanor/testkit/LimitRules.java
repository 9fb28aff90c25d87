package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.ConfigurationException;
import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolSpec;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Extreme settings: every value is either refused at {@code build()} with a {@link ConfigurationException} naming
 * the limit, or accepted and working: never accepted and then failing at the first checkout. On the stub.
 */
abstract class LimitRules extends RuleGroup {
    private static final int MAX = Integer.MAX_VALUE;
    private static final int CAP = PoolSpec.MAX_CONNECTIONS_LIMIT;

    LimitRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    /**
     * Pool sizes at and beyond the limit, and sums that overflow an {@code int}: within
     * {@code PoolSpec.MAX_CONNECTIONS_LIMIT} they work (two connections are borrowed at once and returned), beyond it
     * {@code build()} refuses them and names the limit. If this fails, check that the native pool's size settings
     * are {@code PoolSpec.maxConnections()} and {@code maxIdle()} as given, without adding to them.
     */
    @Test
    @DisplayName("LIMIT-1: any poolSize and maxOverflow is refused at build() naming the limit, or works")
    @ContractRule(id = "LIMIT-1", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that the native pool's sizes"
            + " are set from PoolSpec.maxConnections() and maxIdle() as given (no sums of your own that can overflow)")
    void extremeSizesAreRefusedOrWork() {
        int[][] works = {{CAP, 0}, {1, CAP - 1}, {CAP / 2, CAP / 2}, {CAP, -1}, {0, MAX}, {0, -1}, {1, -1},
            {2, 0}};
        int[][] refused = {{1, MAX}, {MAX, 0}, {MAX, MAX}, {MAX, -1}, {CAP + 1, 0}, {CAP, 1}, {MAX / 2 + 1,
            MAX / 2 + 1}};
        for (int[] p : works) {
            expectWorks(b -> b.poolSize(p[0]).maxOverflow(p[1]), "poolSize " + p[0] + ", maxOverflow " + p[1]);
        }
        for (int[] p : refused) {
            expectRefused(b -> b.poolSize(p[0]).maxOverflow(p[1]), "poolSize " + p[0] + ", maxOverflow " + p[1],
                    String.valueOf(CAP));
        }
    }

    /**
     * Durations too long for a {@code long} of nanoseconds ({@code ChronoUnit.FOREVER}, {@code Long.MAX_VALUE}
     * seconds) are accepted and work: such a recycle age or timeout never comes. If this fails, check that the
     * backend converts durations without {@code toNanos()}/{@code toMillis()} overflowing (saturate, as
     * {@code CheckoutSlots.saturatedNanos} does).
     */
    @Test
    @DisplayName("LIMIT-2: durations too long for nanoseconds are accepted and work")
    @ContractRule(id = "LIMIT-2", check = "that the backend converts PoolSpec.poolTimeout() and any native duration"
            + " it derives without overflowing (saturate instead)")
    void endlessDurationsWork() {
        List<Duration> endless = List.of(ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MAX_VALUE),
                Duration.ofDays(365L * 1000));
        for (Duration d : endless) {
            expectWorks(b -> b.poolRecycle(d), "poolRecycle " + d);
            expectWorks(b -> b.connectTimeout(d), "connectTimeout " + d);
            if (supported(Knob.POOL_TIMEOUT)) {
                expectWorks(b -> b.poolTimeout(d), "poolTimeout " + d);
            }
        }
    }

    private void expectWorks(UnaryOperator<EngineBuilder> config, String what) {
        Engine e;
        try {
            e = engine(config);
        } catch (ConfigurationException ex) {
            throw new AssertionError(what + " must be accepted (it is within the limits), but build() said: "
                    + ex.getMessage(), ex);
        }
        List<Connection> two = new ArrayList<>();
        Throwable failure = catchThrowable(() -> {
            two.add(fx.hold(e));
            two.add(fx.hold(e));
            for (Connection c : two) {
                c.execute("SELECT 1").scalar();
            }
        });
        closeAll(two);
        assertThat(failure).as("checkouts with %s, accepted by build()", what).isNull();
        assertThat(e.status().checkedOut()).as("borrowed after the return, with %s: %s", what, e.status()).isZero();
        e.close();
    }

    private void expectRefused(UnaryOperator<EngineBuilder> config, String what, String limit) {
        Throwable t = catchThrowable(() -> engine(config));
        assertThat(t).as("build() with %s", what).isInstanceOf(ConfigurationException.class);
        assertThat(t.getMessage()).as("build()'s message for %s names the limit", what).contains(limit);
    }
}
