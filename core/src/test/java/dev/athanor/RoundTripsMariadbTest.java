package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What checkouts, statements, commits and returns send to MariaDB, by the server's own per-connection counters
 * ({@code SHOW SESSION STATUS LIKE 'Com_%'}, read through the pool's only connection): nothing for what the
 * connection's own state shows is unnecessary.
 */
class RoundTripsMariadbTest {
    private String table;

    @BeforeEach
    void createTable() {
        table = TestDatabase.uniqueName("ac_rt");
        try (Engine e = Engine.builder(TestDatabase.MARIADB.availableUrl()).build()) {
            e.useTransaction(c -> c.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY) ENGINE=InnoDB"));
        }
    }

    @AfterEach
    void dropTable() {
        try (Engine e = Engine.builder(TestDatabase.MARIADB.availableUrl()).build()) {
            e.useTransaction(c -> c.execute("DROP TABLE " + table));
        }
    }

    /** An engine with one connection, counting its connects so a test can tell it stayed the same. */
    private static Engine oneConnection(IsolationLevel level, AtomicInteger connects) {
        Engine e = Engine.builder(TestDatabase.MARIADB.availableUrl()).poolSize(1).maxOverflow(0).isolationLevel(level).build();
        e.addListener(new PoolListener() {
            @Override
            public void onConnect(java.sql.Connection physical) {
                connects.incrementAndGet();
            }
        });
        return e;
    }

    /** The connection's {@code Com_*} counters (reading them adds only to {@code Com_show_status}). */
    private static Map<String, Long> counters(Engine e) {
        return e.withConnection(c -> {
            Map<String, Long> m = new TreeMap<>();
            for (Row r : c.execute("SHOW SESSION STATUS LIKE 'Com%'").all()) {
                String value = String.valueOf(r.get(1));
                if (value.matches("[0-9]+")) { // Com_*, not Compression
                    m.put(String.valueOf(r.get(0)), Long.parseLong(value));
                }
            }
            return m;
        });
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String counter) {
        return after.get(counter) - before.get(counter);
    }

    private void readAndReturn(Engine e, boolean commit) {
        e.useConnection(c -> {
            c.execute("SELECT count(*) FROM " + table).scalar();
            if (commit) {
                c.commit();
            }
        });
    }

    @Test
    void aReadThroughAnAutocommitEngineSendsNoCommitAndNoRollback() {
        AtomicInteger connects = new AtomicInteger();
        try (Engine e = oneConnection(IsolationLevel.AUTOCOMMIT, connects)) {
            Map<String, Long> before = counters(e);
            for (int i = 0; i < 4; i++) {
                readAndReturn(e, i % 2 == 0);
            }
            Map<String, Long> after = counters(e);
            assertThat(delta(before, after, "Com_select")).as("the reads").isEqualTo(4);
            assertThat(delta(before, after, "Com_rollback")).as("ROLLBACKs").isZero();
            assertThat(delta(before, after, "Com_commit")).as("COMMITs").isZero();
            assertThat(delta(before, after, "Com_set_option")).as("SETs").isZero();
            assertThat(connects).as("one physical connection throughout").hasValue(1);
        }
    }

    @Test
    void theSameReadsThroughATransactionalEngineEndEachTransactionOnce() {
        AtomicInteger connects = new AtomicInteger();
        try (Engine e = oneConnection(null, connects)) {
            Map<String, Long> before = counters(e);
            for (int i = 0; i < 4; i++) {
                readAndReturn(e, i % 2 == 0);
            }
            Map<String, Long> after = counters(e);
            assertThat(delta(before, after, "Com_select")).isEqualTo(4);
            assertThat(delta(before, after, "Com_commit")).as("the two committed").isEqualTo(2);
            assertThat(delta(before, after, "Com_rollback")).as("the two returned open").isEqualTo(2);
            assertThat(delta(before, after, "Com_set_option")).isZero();
            assertThat(connects).hasValue(1);
        }
    }

    @Test
    void aCheckoutAndReturnOfAnUnchangedConnectionSendsNothing() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        try (Engine e = oneConnection(IsolationLevel.READ_COMMITTED, connects)) {
            Map<String, Long> before = counters(e);
            for (int i = 0; i < 3; i++) {
                e.connect().close();
                e.dataSource().getConnection().close();
            }
            Map<String, Long> after = counters(e);
            after.remove("Com_show_status");
            before.remove("Com_show_status");
            assertThat(after).as("every Com_ counter but the reads of them").isEqualTo(before);
            assertThat(connects).hasValue(1);
        }
    }

    @Test
    void aSessionIsolationLevelIsSetForItsTransactionOnlyWithTheConnectionsLevelReadOnceForItsLife() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        try (Engine e = oneConnection(null, connects)) {
            SessionFactory sessions = SessionFactory.builder().bind(e).build();
            IsolationLevel serverDefault = IsolationLevel.fromJdbc(e.withConnection(c -> c.jdbc()
                    .getTransactionIsolation()));
            Map<String, Long> before = counters(e);
            for (int i = 0; i < 2; i++) {
                try (Session s = sessions.openSession().isolationLevel(IsolationLevel.SERIALIZABLE)) {
                    s.execute("SELECT count(*) FROM " + table).scalar();
                    s.commit();
                }
            }
            try (Session s = sessions.openSession().isolationLevel(serverDefault)) {
                s.execute("SELECT count(*) FROM " + table).scalar();
                s.commit();
            }
            Map<String, Long> after = counters(e);
            assertThat(delta(before, after, "Com_set_option")).as("SET TRANSACTION twice, nothing put back; nothing"
                    + " for the level the connection has").isEqualTo(2);
            assertThat(delta(before, after, "Com_begin")).as("START TRANSACTION after each SET TRANSACTION")
                    .isEqualTo(2);
            assertThat(delta(before, after, "Com_select")).as("the three reads, and SELECT @@tx_isolation once:"
                    + " the engine set no level, so the one to put back is read, then known").isEqualTo(3 + 1);
            assertThat(connects).hasValue(1);
        }
    }
}
