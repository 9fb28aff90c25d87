package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link IsolationLevel#AUTOCOMMIT} over the stub driver, which counts every commit and rollback and (like
 * PostgreSQL) refuses both while auto-commit is on: the engine sends neither, whatever the pool.
 */
class AutocommitStubTest {
    @Test
    void readsThroughAnAutocommitEngineSendNoCommitAndNoRollbackWithEveryPool() throws SQLException {
        for (String pool : new String[] {"queue", "static", "null"}) {
            StubDatabase db = StubDatabase.fresh();
            try (Engine engine = Engine.builder(db.url()).pool(pool).isolationLevel(IsolationLevel.AUTOCOMMIT)
                    .build()) {
                for (int i = 0; i < 3; i++) {
                    engine.useConnection(c -> c.execute("SELECT 1"));
                }
                engine.useTransaction(c -> c.execute("UPDATE t SET n = 1"));
                engine.useConnection(c -> {
                    c.execute("UPDATE t SET n = 2");
                    c.rollback();
                    assertThat(c.jdbc().getAutoCommit()).as("%s pool: still auto-commit", pool).isTrue();
                });
                try (java.sql.Connection c = engine.dataSource().getConnection()) {
                    assertThat(c.getAutoCommit()).as("%s pool: the DataSource's connections too", pool).isTrue();
                }
            }
            assertThat(db.statementsExecuted()).as("%s pool: statements", pool).isEqualTo(5);
            assertThat(db.commits()).as("%s pool: commits", pool).isZero();
            assertThat(db.rollbacks()).as("%s pool: rollbacks", pool).isZero();
        }
    }

    @Test
    void aBorrowerThatTurnsAutoCommitOffOnAnAutocommitEngineIsRolledBackAndPutBack() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        try (Engine engine = Engine.builder(db.url()).pool("queue").poolSize(1).maxOverflow(0)
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            try (Connection c = engine.connect()) {
                c.jdbc().setAutoCommit(false);
                c.execute("UPDATE t SET n = 1");
            }
            assertThat(db.rollbacks()).as("its open transaction rolled back on return").isEqualTo(1);
            try (Connection c = engine.connect()) {
                assertThat(c.jdbc().unwrap(StubConnection.class).getAutoCommit()).isTrue();
            }
            assertThat(db.opened()).as("the same connection, kept").isEqualTo(1);
        }
    }

    @Test
    void theStaticPoolKeepsItsSharedConnectionInTheEnginesMode() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        try (Engine engine = Engine.builder(db.url()).pool("static").isolationLevel(IsolationLevel.AUTOCOMMIT)
                .build()) {
            try (Connection c = engine.connect().isolationLevel(IsolationLevel.SERIALIZABLE)) {
                c.execute("UPDATE t SET n = 1");
                c.commit();
            }
            try (Connection c = engine.connect()) {
                StubConnection raw = c.jdbc().unwrap(StubConnection.class);
                assertThat(raw.getAutoCommit()).isTrue();
                assertThat(raw.getTransactionIsolation()).isEqualTo(java.sql.Connection.TRANSACTION_READ_COMMITTED);
            }
            assertThat(db.commits()).isEqualTo(1);
        }
    }

    @Test
    void fromConfigTakesAutocommitAndAnUnknownLevelNamesEveryChoice() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        try (Engine engine = Engine.fromConfig(Map.of("db.url", db.url(), "db.isolation_level", "autocommit"),
                "db.")) {
            boolean autoCommit = engine.withConnection(c -> c.jdbc().getAutoCommit());
            assertThat(autoCommit).isTrue();
        }
        assertThatThrownBy(() -> Engine.fromConfig(Map.of("db.url", db.url(), "db.isolationLevel", "AUTO"), "db."))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("db.isolationLevel must be one of READ_UNCOMMITTED, READ_COMMITTED,"
                        + " REPEATABLE_READ, SERIALIZABLE, AUTOCOMMIT, was 'AUTO'");
    }

    @Test
    void autocommitIsNoJdbcLevel() {
        assertThatThrownBy(IsolationLevel.AUTOCOMMIT::jdbcLevel).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AUTOCOMMIT is not a JDBC isolation level");
        assertThat(IsolationLevel.AUTOCOMMIT.isAutocommit()).isTrue();
        assertThat(IsolationLevel.SERIALIZABLE.isAutocommit()).isFalse();
        for (int level = -2; level <= 8; level++) {
            assertThat(IsolationLevel.fromJdbc(level)).isNotEqualTo(IsolationLevel.AUTOCOMMIT);
        }
    }

    @Test
    void aSessionOverAnAutocommitBindAndATransactionalOneIsAtomicOnlyOnTheTransactionalOne() {
        StubDatabase logs = StubDatabase.fresh();
        StubDatabase orders = StubDatabase.fresh();
        try (Engine logsEngine = Engine.builder(logs.url()).poolName("logs").pool("null")
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build();
             Engine ordersEngine = Engine.builder(orders.url()).poolName("orders").pool("null").build()) {
            SessionFactory sessions = SessionFactory.builder().bind(ordersEngine).bind("logs", logsEngine).build();
            try (Session s = sessions.openSession()) {
                s.execute("UPDATE orders SET n = 1");
                s.execute("logs", "INSERT INTO log VALUES (1)", Map.of());
                s.rollback();
            }
            assertThat(orders.rollbacks()).as("the transactional bind rolled back").isEqualTo(1);
            assertThat(logs.rollbacks() + logs.commits()).as("the AUTOCOMMIT bind committed as it ran").isZero();
            try (Session s = sessions.openSession()) {
                s.execute("UPDATE orders SET n = 1");
                s.execute("logs", "INSERT INTO log VALUES (2)", Map.of());
                s.commit();
            }
            assertThat(orders.commits()).isEqualTo(1);
            assertThat(logs.rollbacks() + logs.commits()).isZero();
            assertThat(orders.openNow() + logs.openNow()).as("every connection returned").isZero();
        }
    }

    @Test
    void aSessionTransactionInAutocommitSendsNoCommitOrRollbackAndPutsAutoCommitBack() throws SQLException {
        StubDatabase db = StubDatabase.fresh();
        try (Engine engine = Engine.builder(db.url()).pool("queue").poolSize(1).maxOverflow(0).build()) {
            SessionFactory sessions = SessionFactory.builder().bind(engine).build();
            try (Session s = sessions.openSession()) {
                s.isolationLevel(IsolationLevel.AUTOCOMMIT);
                s.execute("UPDATE t SET n = 1");
                s.commit();
                s.isolationLevel(IsolationLevel.AUTOCOMMIT);
                s.execute("UPDATE t SET n = 2");
                s.rollback();
            }
            assertThat(db.commits() + db.rollbacks()).isZero();
            try (Connection c = engine.connect()) {
                assertThat(c.jdbc().unwrap(StubConnection.class).getAutoCommit()).isFalse();
            }
            assertThat(db.opened()).isEqualTo(1);
        }
    }
}
