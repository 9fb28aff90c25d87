package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session settings a borrower changes through {@code jdbc()} are the engine's to put back on return, for every
 * backend: the next borrower of the same physical connection gets the engine's state, and a borrow that changed
 * nothing costs no round trip.
 */
class SessionSettingsRestoreTest {
    private Engine engine;

    @BeforeEach
    void setUp() {
        engine = Engine.builder("h2:mem:restore_" + System.nanoTime()).pool("queue").poolSize(1).maxOverflow(0)
                .build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void whatABorrowerChangedIsPutBackForTheNextOne() throws SQLException {
        Object session;
        int isolation;
        try (Connection c = engine.connect()) {
            session = c.execute("SELECT SESSION_ID()").scalar();
            isolation = c.jdbc().getTransactionIsolation();
            c.jdbc().setAutoCommit(true);
            c.jdbc().setReadOnly(true);
            c.jdbc().setTransactionIsolation(java.sql.Connection.TRANSACTION_SERIALIZABLE);
            c.execute("CREATE SCHEMA IF NOT EXISTS other");
            c.jdbc().setSchema("OTHER");
        }
        try (Connection c = engine.connect()) {
            assertThat(c.execute("SELECT SESSION_ID()").scalar()).as("the same physical connection").isEqualTo(session);
            assertThat(c.jdbc().getAutoCommit()).as("auto-commit").isFalse();
            assertThat(c.jdbc().isReadOnly()).as("read-only").isFalse();
            assertThat(c.jdbc().getTransactionIsolation()).as("isolation").isEqualTo(isolation);
            assertThat(c.jdbc().getSchema()).as("schema").isEqualTo("PUBLIC");
        }
    }

    @Test
    void aSettingChangedAndChangedBackCostsNothingOnReturn() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        try (Engine stub = Engine.builder(db.url()).pool("queue").poolSize(1).maxOverflow(0).build()) {
            try (Connection c = stub.connect()) {
                c.jdbc().setAutoCommit(true);
                c.jdbc().setAutoCommit(false);
            }
            try (Connection c = stub.connect()) {
                assertThat(c.jdbc().getAutoCommit()).isFalse();
            }
            assertThat(stub.status().checkedIn()).isEqualTo(1);
            assertThat(db.connectAttempts()).as("one physical connection, kept").isEqualTo(1);
        }
    }
}
