package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubConnection;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code useLifo}: which idle connection is reused first. On the stub, whose connections carry ids. */
abstract class LifoRules extends RuleGroup {

    LifoRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    private static int id(Connection c) throws SQLException {
        return c.jdbc().unwrap(StubConnection.class).id();
    }

    /** Borrows 3, returns them in order, and returns the id of the next one handed out, with the 3 ids. */
    private int[] reuseOrder(boolean lifo) throws SQLException {
        Engine e = engine(b -> b.poolSize(3).maxOverflow(0).useLifo(lifo));
        List<Connection> three = hold(e, 3);
        int[] ids = {id(three.get(0)), id(three.get(1)), id(three.get(2)), 0};
        closeAll(three);
        try (Connection next = e.connect()) {
            ids[3] = id(next);
        }
        return ids;
    }

    /**
     * With {@code useLifo false} (the default), idle connections are reused in the order they were returned
     * (round-robin). If this fails, check the native pool's order setting (DBCP lifo defaults to true).
     */
    @Test
    @DisplayName("LIFO-1: with useLifo false the connection returned first is reused first")
    @ContractRule(id = "LIFO-1", knobs = Knob.USE_LIFO, check = "that take() hands out the longest-idle connection"
            + " when PoolSpec.useLifo() is false (the native order setting: DBCP lifo defaults to true)")
    void fifoWhenOff() throws SQLException {
        int[] ids = reuseOrder(false);
        assertThat(ids[3]).as("connections %d, %d, %d returned in that order; with useLifo false the next checkout"
                + " gets", ids[0], ids[1], ids[2]).isEqualTo(ids[0]);
    }

    /**
     * With {@code useLifo true}, the most recently returned connection is reused first. If this fails, check the
     * native pool's order setting.
     */
    @Test
    @DisplayName("LIFO-2: with useLifo true the connection returned last is reused first")
    @ContractRule(id = "LIFO-2", knobs = Knob.USE_LIFO, check = "that take() hands out the connection kept last when"
            + " PoolSpec.useLifo() is true, or declare useLifo UNSUPPORTED")
    void lifoWhenOn() throws SQLException {
        int[] ids = reuseOrder(true);
        assertThat(ids[3]).as("connections %d, %d, %d returned in that order; with useLifo true the next checkout"
                + " gets", ids[0], ids[1], ids[2]).isEqualTo(ids[2]);
    }
}
