package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.spi.Knob;

import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code poolRecycle}: connection age is checked at checkout (by the engine, for every backend). What a backend
 * must do for it: hand out connections that unwrap to the source's, and close a connection it is told to invalidate.
 */
abstract class RecycleRules extends RuleGroup {

    RecycleRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /**
     * A connection older than {@code poolRecycle} is closed and replaced at its next checkout. If this fails,
     * check that the connections {@code checkout()} returns unwrap to the {@code ConnectionSource}'s (the engine
     * reads their age from it) and that {@code invalidate()} closes them.
     */
    @Test
    @DisplayName("RECY-1: a connection older than poolRecycle is closed and replaced at checkout")
    @ContractRule(id = "RECY-1", knobs = Knob.POOL_RECYCLE, check = "that what take() returns unwraps to the"
            + " ConnectionSource's connection (Connection.unwrap) and that discard() closes it")
    void oldConnectionIsReplaced() {
        Duration recycle = KitTime.millis(150);
        Engine e = engine(b -> b.poolRecycle(recycle));
        cycle(e);
        Set<Connection> old = probe(e).openPhysicals();
        int connects = probe(e).connects();
        KitTime.sleep(recycle.plus(bound(Knob.POOL_RECYCLE)).plus(Duration.ofMillis(50)));
        cycle(e);
        for (Connection c : old) {
            assertThat(probe(e).isOpen(c)).as("a connection older than poolRecycle %s must be closed at the next"
                    + " checkout (%s)", KitTime.show(recycle), probe(e).summary()).isFalse();
        }
        assertThat(probe(e).connects()).as("connections opened for the checkout after the recycle (%s)",
                probe(e).summary()).isEqualTo(connects + 1);
    }

    /**
     * A connection younger than {@code poolRecycle} is not replaced: with a recycle of 3 s, a connection reused at
     * 1.8 s of age (60 % of the period, both scaled by the kit's time scale) is the same one, so the pool opens and
     * closes exactly as many connections as without a recycle. If this fails, check that the backend does not apply
     * its own, shorter, lifetime (HikariCP maxLifetime variance, c3p0 maxConnectionAge rounded down to whole
     * seconds).
     */
    @Test
    @DisplayName("RECY-2: a connection younger than poolRecycle is reused")
    @ContractRule(id = "RECY-2", knobs = Knob.POOL_RECYCLE, check = "that the native pool retires no connection on"
            + " its own (max lifetime, idle timeout, eviction): the engine recycles")
    void youngConnectionIsKept() {
        // Reused at 60 % of the recycle age: a pool that recycles early (at half the age, say) fails, and 1.2 s of
        // slack absorbs a stalled checkout on a loaded machine (c3p0 on MariaDB once missed 0.6 s of slack in CI).
        Duration recycle = KitTime.millis(3000);
        Duration age = KitTime.millis(1800);
        Engine plain = engine();
        Engine recycling = engine(b -> b.poolRecycle(recycle));
        cycle(plain);
        cycle(recycling);
        Set<Connection> first = probe(recycling).openPhysicals();
        KitTime.sleep(age);
        cycle(plain);
        cycle(recycling);
        assertThat(probe(recycling).connects()).as("connections opened for a checkout at %s of age with poolRecycle"
                + " %s, compared with no poolRecycle (%s)", KitTime.show(age), KitTime.show(recycle),
                probe(recycling).summary()).isEqualTo(probe(plain).connects());
        assertThat(probe(recycling).closes()).as("connections closed, compared with no poolRecycle (%s)",
                probe(recycling).summary()).isEqualTo(probe(plain).closes());
        if (probe(plain).connects() == 1) {
            assertThat(probe(recycling).openPhysicals()).as("the connection reused at %s of age", KitTime.show(age))
                    .isEqualTo(first);
        }
    }
}
