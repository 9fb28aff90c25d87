package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.ResetOnReturn;
import dev.athanor.spi.Knob;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reset on return with real transactions: what the borrower left open is rolled back or committed, and the next
 * borrower gets the engine's auto-commit and isolation state back. Runs on the real databases.
 */
abstract class ResetRules extends RuleGroup {
    private String table;

    ResetRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    @BeforeEach
    void createTable() {
        table = fx.uniqueName("kit_reset");
        fx.server().execute("CREATE TABLE " + table + " (n INT)");
        String t = table;
        fx.afterEnginesClose(() -> fx.server().execute("DROP TABLE " + t));
    }

    private int committedRows() {
        return fx.server().queryInt("SELECT COUNT(*) FROM " + table);
    }

    private void insertAndReturn(Engine e) {
        try (Connection c = e.connect()) {
            c.execute("INSERT INTO " + table + " (n) VALUES (1)");
        }
    }

    /**
     * With the default {@code ROLLBACK}, what a borrower left uncommitted is rolled back when the connection comes
     * back. If this fails, check that the backend does not commit on return (c3p0 autoCommitOnClose) and that the
     * connection it hands out has auto-commit off.
     */
    @Test
    @DisplayName("RESET-1: ROLLBACK on return discards what the borrower left uncommitted")
    @ContractRule(id = "RESET-1", knobs = Knob.RESET_ON_RETURN, check = "that the native pool does not commit on"
            + " return (c3p0 autoCommitOnClose) and leaves auto-commit as ConnectionSource set it")
    void rollbackOnReturn() {
        Engine e = engine(b -> b.resetOnReturn(ResetOnReturn.ROLLBACK));
        insertAndReturn(e);
        assertThat(committedRows()).as("rows committed after a borrower returned an uncommitted insert").isZero();
        long seen = e.withConnection(c -> c.execute("SELECT COUNT(*) FROM " + table).scalar(Long.class));
        assertThat(seen).as("rows the next borrower sees").isZero();
    }

    /**
     * With {@code COMMIT}, what a borrower left open is committed on return. If this fails, check that the
     * backend does not roll back on return on its own (HikariCP rolls back dirty connections; DBCP
     * rollbackOnReturn).
     */
    @Test
    @DisplayName("RESET-2: COMMIT on return commits what the borrower left open")
    @ContractRule(id = "RESET-2", knobs = Knob.RESET_ON_RETURN, check = "that the native pool does not roll back on"
            + " return on its own (HikariCP dirty-rollback, DBCP rollbackOnReturn): the engine resets before keep()")
    void commitOnReturn() {
        Engine e = engine(b -> b.resetOnReturn(ResetOnReturn.COMMIT));
        insertAndReturn(e);
        assertThat(committedRows()).as("rows committed after a borrower returned an open insert with COMMIT")
                .isEqualTo(1);
    }

    /**
     * A borrower that switched auto-commit on through {@code jdbc()} does not pass it on: the next borrower gets
     * auto-commit off, so its work is transactional again. If this fails, check that {@code checkin()} restores
     * {@code setAutoCommit(false)} (PoolSpec.autoCommit()) on a connection it keeps.
     */
    @Test
    @DisplayName("RESET-4: a borrower that switched auto-commit on hands the next borrower auto-commit off")
    @ContractRule(id = "RESET-4", check = "that the native pool sets no auto-commit of its own on borrow or return"
            + " (DBCP defaultAutoCommit, HikariCP autoCommit): the engine puts back what a borrower changed")
    void autoCommitIsRestored() throws SQLException {
        Engine e = engine();
        try (Connection c = e.connect()) {
            c.jdbc().setAutoCommit(true);
        }
        try (Connection c = e.connect()) {
            assertThat(c.jdbc().getAutoCommit()).as("auto-commit of the next borrower").isFalse();
            c.execute("INSERT INTO " + table + " (n) VALUES (1)");
        }
        assertThat(committedRows()).as("rows committed after the next borrower returned an uncommitted insert")
                .isZero();
    }

    /**
     * A borrower that changed the isolation level does not pass it on: the next borrower gets the engine's level.
     * If this fails, check that {@code checkin()} restores the isolation level the connection was opened with (or
     * that the native pool's defaultTransactionIsolation is set).
     */
    @Test
    @DisplayName("RESET-5: a borrower that changed the isolation level hands the next borrower the engine's level")
    @ContractRule(id = "RESET-5", check = "that the native pool sets no isolation level of its own (DBCP"
            + " defaultTransactionIsolation, HikariCP transactionIsolation): the engine puts back what a borrower"
            + " changed")
    void isolationIsRestored() throws SQLException {
        Engine e = engine();
        int original;
        try (Connection c = e.connect()) {
            original = c.jdbc().getTransactionIsolation();
            c.jdbc().rollback();
            int other = original == java.sql.Connection.TRANSACTION_SERIALIZABLE
                    ? java.sql.Connection.TRANSACTION_READ_COMMITTED : java.sql.Connection.TRANSACTION_SERIALIZABLE;
            c.jdbc().setTransactionIsolation(other);
        }
        try (Connection c = e.connect()) {
            assertThat(c.jdbc().getTransactionIsolation()).as("isolation level of the next borrower (the engine's"
                    + " was %d)", original).isEqualTo(original);
        }
    }
}
