package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What checkouts, statements, commits and returns send to PostgreSQL: the protocol messages pgjdbc writes (its
 * {@code FE=>} trace on java.util.logging), and the server's transaction counters ({@code pg_stat_database}) for a
 * database of this test's own, which nothing else uses.
 */
class RoundTripsPostgresqlTest {
    private static final String OWN_DATABASE = "athanor_autocommit_rt";
    /** Held: java.util.logging keeps loggers weakly, and a collected one loses its level. */
    private static final Logger PROTOCOL = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    private final List<String> sent = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getParameters() == null ? r.getMessage()
                    : java.text.MessageFormat.format(r.getMessage(), r.getParameters());
            if (m.contains("FE=>")) {
                synchronized (sent) {
                    sent.add(m.strip());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;
    private String table;

    @BeforeEach
    void setUp() {
        table = TestDatabase.uniqueName("ac_rt");
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).build()) {
            e.useTransaction(c -> c.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)"));
        }
        levelBefore = PROTOCOL.getLevel();
        PROTOCOL.setLevel(Level.FINEST);
        PROTOCOL.addHandler(recorder);
    }

    @AfterEach
    void tearDown() {
        PROTOCOL.removeHandler(recorder);
        PROTOCOL.setLevel(levelBefore);
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).build()) {
            e.useTransaction(c -> c.execute("DROP TABLE " + table));
        }
    }

    /** The messages sent since the last call: Parse/Bind/Execute/Sync, and simple queries. */
    private List<String> sent() {
        synchronized (sent) {
            List<String> copy = List.copyOf(sent);
            sent.clear();
            return copy;
        }
    }

    private static long count(List<String> messages, String text) {
        return messages.stream().filter(m -> m.contains(text)).count();
    }

    private static Engine oneConnection(IsolationLevel level) {
        return Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).poolSize(1).maxOverflow(0).isolationLevel(level).build();
    }

    @Test
    void aReadThroughAnAutocommitEngineIsOneRoundTripAndItsReturnSendsNothing() {
        try (Engine e = oneConnection(IsolationLevel.AUTOCOMMIT)) {
            e.useConnection(c -> c.execute("SELECT 1")); // opens the connection
            sent();
            Connection c = e.connect();
            assertThat(sent()).as("checkout").isEmpty();
            c.execute("SELECT count(*) FROM " + table).scalar();
            List<String> read = sent();
            assertThat(count(read, "Sync")).as("one round trip: %s", read).isEqualTo(1);
            assertThat(read).as("no BEGIN").noneMatch(m -> m.contains("BEGIN"));
            c.commit();
            c.rollback();
            assertThat(sent()).as("commit and rollback").isEmpty();
            c.close();
            assertThat(sent()).as("checkin").isEmpty();
        }
    }

    @Test
    void anUnchangedCheckoutAndReturnSendNothingAndTheSessionLevelIsNeverAskedFor() {
        try (Engine e = oneConnection(IsolationLevel.READ_COMMITTED)) {
            SessionFactory sessions = SessionFactory.builder().bind(e).build();
            e.useConnection(c -> c.execute("SELECT 1"));
            sent();
            for (int i = 0; i < 3; i++) {
                e.connect().close();
            }
            assertThat(sent()).as("three checkouts and returns").isEmpty();
            try (Session s = sessions.openSession().isolationLevel(IsolationLevel.SERIALIZABLE)) {
                s.execute("SELECT count(*) FROM " + table).scalar();
                s.commit();
            }
            try (Session s = sessions.openSession().isolationLevel(IsolationLevel.READ_COMMITTED)) {
                s.execute("SELECT count(*) FROM " + table).scalar();
                s.commit();
            }
            List<String> messages = sent();
            assertThat(count(messages, "SHOW TRANSACTION ISOLATION LEVEL")).as("levels asked for: %s", messages)
                    .isZero();
            assertThat(count(messages, "SET SESSION CHARACTERISTICS")).as("no session-level setting: %s", messages)
                    .isZero();
            assertThat(count(messages, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).as("the SERIALIZABLE"
                    + " transaction's own statement, nothing put back; nothing for the engine's level: %s", messages)
                    .isEqualTo(1);
        }
    }

    @Test
    void serverPreparedStatementsOutliveTheCheckoutThatPreparedThem() {
        try (Engine e = oneConnection(null)) {
            // pgjdbc prepares on the server from the fifth execution of a statement on the same connection.
            for (int i = 0; i < 6; i++) {
                e.useConnection(c -> c.execute("SELECT count(*) FROM " + table + " WHERE id > ?", 0).scalar());
            }
            long prepared = e.withConnection(c -> c.execute("SELECT count(*) FROM pg_prepared_statements WHERE"
                    + " statement LIKE :text", java.util.Map.of("text", "%" + table + " WHERE id >%"))
                    .scalar(Long.class));
            assertThat(prepared).as("the server-side statement, still there after six returns").isEqualTo(1);
            List<String> messages = sent();
            assertThat(count(messages, "DEALLOCATE") + count(messages, "DISCARD")).isZero();
        }
    }

    @Test
    void theServerCountsAutocommitReadsAsCommittedTransactionsAndTransactionalOnesAsRolledBack() throws Exception {
        String url = ownDatabaseUrl();
        long[] before = transactions();
        try (Engine auto = Engine.builder(url).poolSize(1).isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            for (int i = 0; i < 5; i++) {
                auto.useConnection(c -> c.execute("SELECT 1").scalar());
            }
        }
        try (Engine transactional = Engine.builder(url).poolSize(1).build()) {
            for (int i = 0; i < 3; i++) {
                transactional.useConnection(c -> c.execute("SELECT 1").scalar());
            }
        }
        // A backend reports its counters when it exits; wait (bounded) until both engines' backends have.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long[] after = transactions();
        while ((after[0] - before[0] < 5 || after[1] - before[1] < 3) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the server: no event to wait on
            after = transactions();
        }
        assertThat(after[1] - before[1]).as("rolled back: the transactional engine's three returns, none from the"
                + " AUTOCOMMIT engine").isEqualTo(3);
        assertThat(after[0] - before[0]).as("committed: at least the five AUTOCOMMIT reads").isGreaterThanOrEqualTo(5);
    }

    /** {@code xact_commit} and {@code xact_rollback} of this test's own database, read from another database. */
    private static long[] transactions() {
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).pool("null").isolationLevel(IsolationLevel.AUTOCOMMIT)
                .build()) {
            return e.withConnection(c -> {
                c.execute("SELECT pg_stat_clear_snapshot()");
                Row r = c.execute("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = ?",
                        OWN_DATABASE).one();
                return new long[] {((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()};
            });
        }
    }

    /** The URL of this test's own database, made on first use (CREATE DATABASE runs only outside a transaction). */
    private static String ownDatabaseUrl() {
        String url = TestDatabase.POSTGRESQL.url();
        try (Engine e = Engine.builder(url).pool("null").isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            e.useConnection(c -> {
                if (c.execute("SELECT 1 FROM pg_database WHERE datname = ?", OWN_DATABASE).first() == null) {
                    c.execute("CREATE DATABASE " + OWN_DATABASE);
                }
            });
        }
        return url.replaceFirst("/[^/?]+(\\?|$)", "/" + OWN_DATABASE + "$1");
    }
}
