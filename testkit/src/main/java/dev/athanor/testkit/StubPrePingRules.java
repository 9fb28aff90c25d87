package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pre-ping rules that need the stub's counters and failure injection. */
abstract class StubPrePingRules extends PrePingRules {

    StubPrePingRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    /**
     * A connection opened for this very checkout is not pinged (it was just proven alive), and the backend does no
     * validation of its own on top of the engine's. If this fails, check that the native pool's own validation
     * (DBCP testOnBorrow/testOnCreate, c3p0 testConnectionOnCheckout) is off: the engine pings.
     */
    @Test
    @DisplayName("PING-1: a connection just opened is handed out without a ping")
    @ContractRule(id = "PING-1", knobs = Knob.PRE_PING, check = "that the native pool's own validation on borrow or"
            + " create is off (DBCP testOnBorrow, c3p0 testConnectionOnCheckout): the engine pings")
    void freshConnectionIsNotPinged() {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.poolPrePing(true));
        Connection first = fx.hold(e);
        assertThat(db.validations()).as("pings (Connection.isValid) for the first checkout, of a new connection")
                .isZero();
        fx.hold(e);
        if (probe(e).connects() == 2) {
            assertThat(db.validations()).as("pings for a second checkout that opened a new connection").isZero();
        }
        first.close();
    }

    /**
     * With the database down, a checkout that finds a dead pooled connection fails with the connect error, and the
     * pool's counts stay consistent: nothing borrowed, the dead connection closed, no slot taken; once the database
     * is back, checkouts work. If this fails, check that a failed {@code ConnectionSource.connect()} propagates
     * from {@code checkout()} (with the SQLException as cause) and leaves the native pool's counts unchanged.
     */
    @Test
    @DisplayName("PING-4: with the database down the connect error propagates and counts are unchanged")
    @ContractRule(id = "PING-4", knobs = Knob.PRE_PING, check = "that take() propagates ConnectionSource.connect()'s"
            + " SQLException (as the cause) and keeps nothing of the failed connect")
    void databaseDownPropagatesTheConnectError() {
        StubDatabase db = fx.stub();
        boolean timed = supported(Knob.POOL_TIMEOUT);
        Duration timeout = KitTime.millis(1000);
        Engine e = engine(b -> timed ? b.poolPrePing(true).poolTimeout(timeout) : b.poolPrePing(true));
        cycle(e);
        db.killAll();
        db.down(true);
        Duration limit = (timed ? timeout.plus(bound(Knob.POOL_TIMEOUT)) : KitTime.millis(5000)).plus(KitTime.SLACK);
        Attempt a = attempt(e, limit);
        assertThat(a.finished()).as("a checkout with the database down must fail, not wait (still waiting after %s)",
                KitTime.show(a.elapsed())).isTrue();
        assertThat(a.error()).as("a checkout with the database down must fail").isNotNull();
        assertThat(connectFailure(a.error())).as("the failure must carry the driver's connect error (SQLState"
                + " 08001) as a cause, was %s", a.error()).isTrue();
        assertThat(e.status().checkedOut()).as("borrowed after the failed checkout: %s", e.status()).isZero();
        expectOpen(e, 0, KitTime.GRACE, "the dead connection is closed and nothing else is open");
        assertThat(e.status().open()).as("status() must agree with the connections open: %s", e.status()).isZero();
        db.down(false);
        cycle(e);
        assertThat(e.status().checkedOut()).as("borrowed after the database came back: %s", e.status()).isZero();
    }

    /**
     * A statement that fails because its connection was lost retires every connection opened before it, with
     * pre-ping off and without a ping: of three idle connections one is killed and fails a statement, and the two
     * that still work are replaced when next checked out (SQLAlchemy invalidates the whole pool on a disconnect
     * error, since a server restart kills them all). If this fails, check that {@code invalidate()} closes each
     * connection it is given and frees its slot, and that the native pool does not validate on borrow.
     */
    @Test
    @DisplayName("PING-6: a connection lost during a statement retires every older connection, without a ping")
    @ContractRule(id = "PING-6", knobs = {Knob.PRE_PING, Knob.POOL_SIZE}, check = "that discard() closes each"
            + " connection it is given and that the native pool does not validate on borrow")
    void lostConnectionRetiresTheOlderOnesWithoutAPing() throws SQLException {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.poolPrePing(false));
        closeAll(hold(e, 3));
        Set<StubConnection> older = new HashSet<>();
        for (java.sql.Connection c : probe(e).openPhysicals()) {
            older.add(c.unwrap(StubConnection.class));
        }
        assertThat(older).as("idle connections after 3 were borrowed and returned (%s)", probe(e).summary())
                .hasSize(3);
        long pingsBefore = db.validations();
        int connectsBefore = probe(e).connects();

        Connection victim = fx.hold(e);
        StubConnection lost = victim.jdbc().unwrap(StubConnection.class);
        lost.kill();
        assertThatThrownBy(() -> victim.execute("SELECT 1")).as("a statement on a killed connection")
                .isInstanceOf(DisconnectionException.class);
        victim.close();

        List<Connection> next = hold(e, 3);
        for (Connection c : next) {
            StubConnection physical = c.jdbc().unwrap(StubConnection.class);
            assertThat(older).as("a connection handed out after the lost one failed its statement is one opened"
                    + " after it (%s)", probe(e).summary()).doesNotContain(physical);
            assertThat(c.execute("SELECT 1").scalar()).as("every connection handed out afterwards works").isNotNull();
        }
        for (StubConnection c : older) {
            assertThat(c.isClosed()).as("connection %s, opened before the lost one failed, is closed once checked"
                    + " out again (%s)", c, probe(e).summary()).isTrue();
        }
        assertThat(probe(e).connects() - connectsBefore).as("connections opened for the 3 checkouts after the"
                + " failure (%s)", probe(e).summary()).isEqualTo(3);
        assertThat(db.validations() - pingsBefore).as("pings with pre-ping off").isZero();
        closeAll(next);
    }

    static boolean connectFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException && "08001".equals(((SQLException) c).getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * With pre-ping off, a pooled connection is handed out without a ping (within the declared idle window when
     * the backend declares {@code poolPrePing} APPROXIMATE). If this fails, check that the native pool's own
     * validation is off, or declare {@code poolPrePing} APPROXIMATE with the idle time below which it never pings.
     */
    @Test
    @DisplayName("PING-5: with pre-ping off a pooled connection is handed out without a ping")
    @ContractRule(id = "PING-5", knobs = Knob.PRE_PING, check = "that the native pool does not validate on borrow (or"
            + " declare the idle window it keeps as the APPROXIMATE bound of poolPrePing)")
    void noPingWhenOff() {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.poolPrePing(false));
        cycle(e);
        cycle(e);
        cycle(e);
        assertThat(db.validations()).as("pings for checkouts right after each other with pre-ping off").isZero();
        boolean exact = capability(Knob.PRE_PING).fidelity() == Fidelity.EXACT;
        Duration idle = exact ? KitTime.millis(700) : bound(Knob.PRE_PING).dividedBy(2);
        KitTime.sleep(idle);
        cycle(e);
        assertThat(db.validations()).as("pings for a checkout after %s idle with pre-ping off", KitTime.show(idle))
                .isZero();
    }
}
