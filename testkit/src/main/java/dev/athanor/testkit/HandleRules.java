package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a borrower holds once it has given the connection back: the JDBC handle from {@code engine.dataSource()} or
 * {@code Connection.jdbc()} is dead, and a physical connection the borrower closed itself is never pooled. On the
 * stub, whose connections count every commit, rollback and statement, with a pool of one so that the next borrower
 * gets the very physical connection the stale handle stood for.
 */
abstract class HandleRules extends RuleGroup {

    HandleRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    private Engine poolOfOne() {
        return supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW)
                ? engine(b -> b.poolSize(1).maxOverflow(0)) : engine();
    }

    /**
     * A connection from {@code engine.dataSource()} is dead once closed: every call fails with SQLState 08003,
     * {@code isClosed()} is true, a second {@code close()} is harmless, its statements are closed, and nothing it
     * is asked reaches the physical connection the next borrower holds (a stale {@code rollback()} once undid the
     * next borrower's insert). If this fails, check that the backend hands the engine a connection the engine can
     * wrap, and that the engine's handle is not bypassed.
     */
    @Test
    @DisplayName("HAND-1: a closed engine.dataSource() connection is dead: every call fails, nothing reaches the"
            + " next borrower")
    @ContractRule(id = "HAND-1", check = "that keep() takes back the very object take() returned, which unwraps to"
            + " the engine's connection")
    void closedDataSourceConnectionIsDead() throws SQLException {
        Engine e = poolOfOne();
        DataSource ds = e.dataSource();
        java.sql.Connection stale = ds.getConnection();
        Statement staleStatement = stale.createStatement();
        stale.close();
        try (java.sql.Connection next = ds.getConnection()) {
            next.createStatement().execute("INSERT INTO t VALUES (1)");
            expectDead(stale, staleStatement, "a closed engine.dataSource() connection");
            assertThat(catchThrowable(next::commit)).as("the next borrower's commit").isNull();
        }
    }

    /**
     * The JDBC connection from {@code Connection.jdbc()} dies with its {@code Connection}, whether that was closed
     * or invalidated. If this fails, check that the backend does not hand the same wrapper object to two borrows
     * in a way that bypasses the engine's handle.
     */
    @Test
    @DisplayName("HAND-2: Connection.jdbc() is dead once its Connection is closed or invalidated")
    @ContractRule(id = "HAND-2", check = "that keep() and discard() accept the object take() returned, not a wrapper"
            + " of their own")
    void jdbcHandleDiesWithItsConnection() throws SQLException {
        Engine e = poolOfOne();
        Connection first = e.connect();
        java.sql.Connection stale = first.jdbc();
        Statement staleStatement = stale.createStatement();
        first.close();
        try (Connection next = e.connect()) {
            next.execute("INSERT INTO t VALUES (1)");
            expectDead(stale, staleStatement, "Connection.jdbc() of a closed Connection");
            next.commit();
        }
        Connection invalidated = e.connect();
        java.sql.Connection gone = invalidated.jdbc();
        invalidated.invalidate();
        assertThat(gone.isClosed()).as("jdbc() of an invalidated Connection: isClosed()").isTrue();
        assertClosedFailure(gone::rollback, "rollback() on jdbc() of an invalidated Connection");
    }

    /**
     * A physical connection the borrower closed itself (through {@code jdbc().close()}, or by unwrapping the
     * driver's connection and closing it) is discarded at checkin, never pooled: the next borrower gets a working
     * connection and the counts are right. If this fails, check that checkin() of a connection whose physical
     * connection is closed does not keep it (the engine invalidates it; invalidate() must then close and forget
     * it).
     */
    @Test
    @DisplayName("HAND-3: a physical connection the borrower closed is discarded, never pooled")
    @ContractRule(id = "HAND-3", check = "that discard() closes and forgets a connection whose physical connection is"
            + " already closed, without throwing")
    void physicalConnectionClosedByTheBorrowerIsDiscarded() throws SQLException {
        Engine e = poolOfOne();
        closedByBorrower(e, c -> quietly(() -> c.jdbc().unwrap(StubConnection.class).close()), "the driver's"
                + " connection, unwrapped from jdbc(), closed by the borrower");
        closedByBorrower(e, c -> quietly(() -> c.jdbc().close()), "jdbc().close()");
        java.sql.Connection fromDataSource = e.dataSource().getConnection();
        fromDataSource.unwrap(StubConnection.class).close();
        fromDataSource.close();
        expectNextBorrowerWorks(e, "the driver's connection under an engine.dataSource() connection, closed by the"
                + " borrower");
    }

    private void closedByBorrower(Engine e, Consumer<Connection> close, String how) {
        Connection c = e.connect();
        c.execute("SELECT 1").scalar();
        close.accept(c);
        c.close();
        expectNextBorrowerWorks(e, how);
    }

    private void expectNextBorrowerWorks(Engine e, String how) {
        try (Connection next = e.connect()) {
            Throwable failure = catchThrowable(() -> next.execute("SELECT 1").scalar());
            assertThat(failure).as("the next borrower after %s", how).isNull();
        }
        assertThat(e.status().checkedOut()).as("borrowed after %s: %s", how, e.status()).isZero();
        assertThat(probe(e).openNow()).as("physical connections open after %s (%s)", how, probe(e).summary())
                .isLessThanOrEqualTo(1);
        assertThat(fx.stub().openNow()).as("connections the stub sees open after %s", how)
                .isEqualTo(probe(e).openNow());
    }

    private void expectDead(java.sql.Connection stale, Statement staleStatement, String what) throws SQLException {
        StubDatabase db = fx.stub();
        long rollbacks = db.rollbacks();
        long commits = db.commits();
        long statements = db.statementsExecuted();
        assertClosedFailure(stale::rollback, "rollback() on " + what);
        assertClosedFailure(stale::commit, "commit() on " + what);
        assertClosedFailure(stale::createStatement, "createStatement() on " + what);
        assertClosedFailure(() -> stale.prepareStatement("DELETE FROM t"), "prepareStatement() on " + what);
        assertClosedFailure(() -> stale.setAutoCommit(true), "setAutoCommit(true) on " + what);
        assertClosedFailure(() -> stale.unwrap(StubConnection.class), "unwrap() on " + what);
        assertThat(catchThrowable(() -> staleStatement.execute("DELETE FROM t")))
                .as("a statement made through %s, used after the return", what).isNotNull();
        assertThat(stale.isClosed()).as("isClosed() on %s", what).isTrue();
        assertThat(stale.isValid(1)).as("isValid() on %s", what).isFalse();
        assertThat(catchThrowable(stale::close)).as("close() again on %s", what).isNull();
        assertThat(db.rollbacks()).as("rollbacks that reached the database through %s", what).isEqualTo(rollbacks);
        assertThat(db.commits()).as("commits that reached the database through %s", what).isEqualTo(commits);
        assertThat(db.statementsExecuted()).as("statements that reached the database through %s", what)
                .isEqualTo(statements);
    }

    private static void assertClosedFailure(ThrowingCallable call, String what) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("%s must fail", what).isInstanceOf(SQLException.class);
        assertThat(((SQLException) t).getSQLState()).as("SQLState of %s: %s", what, t).isEqualTo("08003");
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void quietly(SqlAction action) {
        try {
            action.run();
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
