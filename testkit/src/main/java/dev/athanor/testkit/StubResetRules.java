package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.ResetOnReturn;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubDatabase;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reset on return, counted by the stub: what must not happen. */
abstract class StubResetRules extends RuleGroup {

    StubResetRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    /**
     * With {@code NONE}, returning a connection issues neither COMMIT nor ROLLBACK. If this fails, check that the
     * native pool's own reset on return is off (HikariCP rolls back dirty connections, DBCP rollbackOnReturn, c3p0
     * autoCommitOnClose / forceIgnoreUnresolvedTransactions).
     */
    @Test
    @DisplayName("RESET-3: NONE on return issues neither COMMIT nor ROLLBACK")
    @ContractRule(id = "RESET-3", knobs = Knob.RESET_ON_RETURN, check = "that the native pool's own reset on return"
            + " is off (HikariCP dirty-rollback, DBCP rollbackOnReturn, c3p0 autoCommitOnClose): the engine resets")
    void noneIssuesNothing() {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.resetOnReturn(ResetOnReturn.NONE));
        try (Connection c = e.connect()) {
            c.execute("SELECT 1").scalar();
        }
        assertThat(db.commits()).as("COMMITs after a return with resetOnReturn NONE").isZero();
        assertThat(db.rollbacks()).as("ROLLBACKs after a return with resetOnReturn NONE").isZero();
    }

    /**
     * An invalidated connection is closed as it is: no COMMIT and no ROLLBACK first. If this fails, check that
     * {@code invalidate()} closes the physical connection without resetting it.
     */
    @Test
    @DisplayName("RESET-6: an invalidated connection is closed without COMMIT or ROLLBACK")
    @ContractRule(id = "RESET-6", knobs = Knob.RESET_ON_RETURN, check = "that discard() closes the connection without"
            + " a rollback or commit of its own")
    void invalidatedConnectionIsNotReset() {
        StubDatabase db = fx.stub();
        Engine e = engine();
        Connection c = e.connect();
        c.execute("SELECT 1").scalar();
        c.invalidate();
        assertThat(db.commits()).as("COMMITs for an invalidated connection").isZero();
        assertThat(db.rollbacks()).as("ROLLBACKs for an invalidated connection").isZero();
        expectOpen(e, 0, KitTime.GRACE, "the invalidated connection is closed");
    }
}
