package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.spi.Knob;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code poolPrePing} against connections the database really killed: the engine pings at checkout, discards a dead
 * connection and replaces every connection opened before it. Runs on every target (each kills in its own way).
 */
abstract class PrePingRules extends RuleGroup {

    PrePingRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /**
     * A pooled connection that died (killed by the server) is discarded at checkout and a working one is handed
     * out. If this fails, check that checked-out connections unwrap to the {@code ConnectionSource}'s and that
     * {@code invalidate()} closes the dead one and frees its slot.
     */
    @Test
    @DisplayName("PING-2: a dead pooled connection is discarded and replaced at checkout")
    @ContractRule(id = "PING-2", knobs = Knob.PRE_PING, check = "that what take() returns unwraps to the"
            + " ConnectionSource's connection and that discard() closes a dead connection")
    void deadConnectionIsReplaced() {
        Engine e = engine(b -> b.poolPrePing(true));
        cycle(e);
        Set<java.sql.Connection> old = probe(e).openPhysicals();
        int connects = probe(e).connects();
        killAll();
        Object value = e.withConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(value).as("the connection handed out after the kill works").isNotNull();
        assertThat(probe(e).connects()).as("connections opened for the checkout after the kill (%s)",
                probe(e).summary()).isEqualTo(connects + 1);
        old.forEach(c -> assertThat(probe(e).isOpen(c)).as("the dead connection is closed").isFalse());
    }

    /**
     * After a failed ping, every connection opened before it is replaced at its next checkout (SQLAlchemy's
     * pool-wide invalidation), so one checkout after a database restart does not meet the other dead connections
     * one by one: on the stub, which counts pings, the three checkouts after the kill ping once when the pool keeps
     * connections (pinging each dead connection in turn would also replace them all, with three pings). If this
     * fails, check that {@code invalidate()} closes each connection and frees its slot.
     */
    @Test
    @DisplayName("PING-3: after a failed ping every connection opened before it is replaced")
    @ContractRule(id = "PING-3", knobs = Knob.PRE_PING, check = "that discard() closes each connection it is given,"
            + " at once")
    void poolWideInvalidation() {
        Engine e = engine(b -> b.poolPrePing(true));
        closeAll(hold(e, 3));
        Set<java.sql.Connection> old = probe(e).openPhysicals();
        killAll();
        long pingsBefore = target() == Target.STUB ? fx.stub().validations() : 0;
        List<Connection> fresh = hold(e, 3);
        // Only a pool that keeps connections has several to replace (NullPool keeps none, StaticPool shares one).
        if (target() == Target.STUB && supported(Knob.POOL_SIZE)) {
            assertThat(fx.stub().validations() - pingsBefore).as("pings for the 3 checkouts after every connection"
                    + " was killed: the first finds a dead one, and the others are replaced unpinged (%s)",
                    probe(e).summary()).isEqualTo(1);
        }
        for (Connection c : fresh) {
            assertThat(c.execute("SELECT 1").scalar()).as("every connection handed out after the kill works")
                    .isNotNull();
        }
        for (java.sql.Connection c : old) {
            assertThat(probe(e).isOpen(c)).as("every connection opened before the failed ping is closed (%s)",
                    probe(e).summary()).isFalse();
        }
        closeAll(fresh);
    }
}
