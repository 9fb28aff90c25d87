package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code dispose()} and {@code close()}: what is closed, and what stays usable. Runs on every target. */
abstract class DisposeRules extends RuleGroup {

    DisposeRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /**
     * {@code dispose()} closes every idle connection; the pool stays usable and opens new ones on demand. If this
     * fails, check that {@code PoolBackend.dispose()} closes the idle connections (DBCP clear(), HikariCP
     * softEvictConnections(), c3p0 softResetAllUsers()) without closing the pool.
     */
    @Test
    @DisplayName("DISP-1: dispose() closes every idle connection and the pool stays usable")
    @ContractRule(id = "DISP-1", check = "that dispose() closes every idle connection (DBCP clear(), HikariCP"
            + " softEvictConnections(), c3p0 softResetAllUsers()) and leaves the store usable")
    void disposeClosesIdleConnections() {
        Engine e = engine();
        closeAll(hold(e, 3));
        int connects = probe(e).connects();
        e.dispose();
        expectOpen(e, 0, KitTime.GRACE, "after dispose() with every connection idle");
        assertThat(e.status().checkedIn()).as("idle after dispose(): %s", e.status()).isZero();
        cycle(e);
        assertThat(probe(e).connects()).as("a checkout after dispose() opens a new connection").isEqualTo(connects + 1);
    }

    /**
     * A connection borrowed during {@code dispose()} keeps working, and once returned it is replaced at the next
     * checkout instead of being reused. If this fails, check that {@code dispose()} does not close borrowed
     * connections and that {@code invalidate()} closes the stale one the engine discards.
     */
    @Test
    @DisplayName("DISP-2: a connection borrowed during dispose() keeps working and is replaced after it is returned")
    @ContractRule(id = "DISP-2", check = "that dispose() leaves borrowed connections alone and that discard() closes"
            + " the stale connection the engine retires at its next checkout")
    void borrowedConnectionSurvivesDispose() {
        Engine e = engine();
        List<Connection> two = hold(e, 2);
        two.get(1).close();
        Set<java.sql.Connection> before = probe(e).openPhysicals();
        e.dispose();
        Connection held = two.get(0);
        assertThat(catchThrowable(() -> held.execute("SELECT 1").scalar())).as("the borrowed connection still works"
                + " after dispose()").isNull();
        held.close();
        cycle(e);
        // A backend may close disposed connections on its own thread (c3p0 does): allow the same slack as DISP-1.
        boolean allClosed = KitTime.poll(() -> before.stream().noneMatch(probe(e)::isOpen), KitTime.SLACK);
        assertThat(allClosed).as("every connection opened before dispose() is closed once returned and checked out"
                + " again, within %s (%s)", KitTime.show(KitTime.SLACK), probe(e).summary()).isTrue();
    }

    /**
     * {@code close()} closes every connection, also one returned after it; a second {@code close()} is harmless
     * and a later checkout is refused. If this fails, check that {@code PoolBackend.close()} closes idle
     * connections and that {@code checkin()} after {@code close()} closes the connection instead of keeping it.
     */
    @Test
    @DisplayName("DISP-3: close() closes every connection, including one returned later, and is idempotent")
    @ContractRule(id = "DISP-3", check = "that close() closes the idle connections and that keep() after close()"
            + " closes the connection instead of keeping it")
    void closeClosesEverything() {
        Engine e = engine();
        List<Connection> two = hold(e, 2);
        two.get(1).close();
        e.close();
        two.get(0).close();
        expectOpen(e, 0, KitTime.SETTLE, "after close() and the return of the last borrowed connection");
        assertThat(catchThrowable(e::close)).as("a second close()").isNull();
        assertThatThrownBy(e::connect).as("a checkout after close()").isInstanceOf(IllegalStateException.class);
    }

    /**
     * {@code close()} closes borrowed connections at once, on the database too (a borrowed connection left open
     * keeps its session and its locks: a later {@code DROP TABLE} blocked); the borrower's later use fails and its
     * return is harmless. If this fails, check that {@code PoolBackend.close()} closes the connections it has lent,
     * not only the idle ones (pool2's {@code close()} leaves borrowed objects alone).
     */
    @Test
    @DisplayName("DISP-5: close() closes borrowed connections at once, on the database too")
    @ContractRule(id = "DISP-5", check = "that close() closes the connections take() handed out, not only the idle"
            + " ones")
    void closeClosesBorrowedConnections() {
        Engine e = engine();
        List<Connection> two = hold(e, 2);
        two.get(0).execute("SELECT 1").scalar();
        e.close();
        expectOpen(e, 0, KitTime.SETTLE, "after close() with 2 connections borrowed");
        Connection borrowed = two.get(0);
        assertThat(catchThrowable(() -> borrowed.execute("SELECT 1").scalar()))
                .as("a statement on a connection borrowed before close()").isNotNull();
        assertThat(catchThrowable(() -> closeAll(two))).as("returning connections after close()").isNull();
        expectOpen(e, 0, KitTime.SETTLE, "after the borrowed connections came back");
    }
}
