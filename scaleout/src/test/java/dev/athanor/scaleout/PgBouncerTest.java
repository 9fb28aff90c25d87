package dev.athanor.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.IsolationLevel;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.StatementException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Athanor behind PgBouncer in transaction pooling mode with one server connection ({@code pgbouncer.sh}), on every
 * pool backend: statements work with {@code transactionPooling(true)} (and fail without it), and a session
 * transaction's isolation level and read-only flag stay in that transaction: the next client of the same server
 * connection sees the server's defaults.
 */
@UsesServers(Topology.PGBOUNCER)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PgBouncerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String TABLE = "bnc_rows_" + ProcessHandle.current().pid();

    static String bouncerUrl() {
        return "postgresql://postgres@127.0.0.1:" + Topology.pgbouncerPort() + "/test";
    }

    private static Engine direct() {
        return Engine.builder("postgresql://postgres@127.0.0.1:" + Topology.pgPrimaryPort() + "/test").pool("null")
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build();
    }

    @BeforeAll
    static void createTable() {
        try (Engine e = direct()) {
            e.useConnection(c -> c.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, backend TEXT)"));
        }
    }

    @AfterAll
    static void dropTable() {
        try (Engine e = direct()) {
            e.useConnection(c -> c.execute("DROP TABLE IF EXISTS " + TABLE));
        }
    }

    private static Engine bounced(String backend, boolean transactionPooling) {
        return Engine.builder(bouncerUrl()).pool(backend).poolName("bnc-" + backend + "-" + NAMES.incrementAndGet())
                .poolSize(4).maxOverflow(0).transactionPooling(transactionPooling).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void statementsRepeatedOnEveryClientConnectionWorkWithTransactionPooling(String backend) throws Exception {
        int threads = 4;
        int units = 25;
        int base = 100_000 * (NAMES.incrementAndGet());
        try (Engine e = bounced(backend, true)) {
            SessionFactory sessions = SessionFactory.builder().bind(e).build();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = base + t * units;
                    done.add(pool.submit(() -> {
                        for (int i = first; i < first + units; i++) {
                            int id = i;
                            sessions.useTransaction(s -> {
                                s.execute("INSERT INTO " + TABLE + " (id, backend) VALUES (:id, :b)",
                                        Map.of("id", id, "b", backend));
                                long n = s.execute("SELECT count(*) FROM " + TABLE + " WHERE id >= ? AND id <= ?",
                                        first, id).scalar(Long.class);
                                assertThat(n).isEqualTo(id - first + 1);
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(90, TimeUnit.SECONDS); // rethrows the first failure of each thread
                }
            } finally {
                pool.shutdownNow();
            }
            long rows = e.withConnection(c -> c.execute("SELECT count(*) FROM " + TABLE + " WHERE backend = ?",
                    backend).scalar(Long.class));
            assertThat(rows).isEqualTo((long) threads * units);
        }
    }

    @Test
    void withoutTransactionPoolingPgjdbcsServerPreparedStatementsCollideOnTheSharedServerConnection() {
        // Two clients take turns on the one server connection. pgjdbc prepares statements (COMMIT among them) under
        // names of its own (S_1, ...), which the other client's statements then find taken (42P05) or missing
        // (26000) on the same server. What follows is a consequence: the failed client's transaction stays aborted
        // (25P02) and holds the server connection, so the other client waits until its socket times out (08006).
        List<String> without = collisions(false);
        assertThat(without).as("failures without prepareThreshold=0").isNotEmpty();
        assertThat(without.get(0)).as("the first failure").isIn("42P05", "26000", "08P01");
        assertThat(without).allSatisfy(sqlState -> assertThat(sqlState).isIn("42P05", "26000", "08P01", "25P02",
                "08006"));
        assertThat(collisions(true)).as("failures with transactionPooling(true)").isEmpty();
    }

    private static List<String> collisions(boolean transactionPooling) {
        List<String> failures = new ArrayList<>();
        // socketTimeout: a client that the pooler never answers fails instead of hanging the test.
        try (Engine e = Engine.builder(bouncerUrl() + "?socketTimeout=5").pool("queue").poolSize(2).maxOverflow(0)
                .transactionPooling(transactionPooling).build();
             Connection a = e.connect(); Connection b = e.connect()) {
            for (int i = 0; i < 8 && !a.isClosed() && !b.isClosed(); i++) {
                for (Connection c : List.of(a, b)) {
                    try {
                        c.execute("SELECT count(*) FROM " + TABLE + " WHERE id > ?", i).scalar();
                        c.commit();
                    } catch (StatementException ex) {
                        System.out.println("[collision] " + i + " " + (c == a ? "a" : "b") + ": " + ex.getMessage());
                        failures.add(ex.sqlState());
                        if (!c.isClosed()) {
                            c.rollback();
                        }
                    }
                }
            }
        }
        return failures;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queue", "hikari", "dbcp", "c3p0"})
    void aSerializableReadOnlyTransactionDoesNotChangeWhatTheNextClientOfItsServerConnectionSees(String backend) {
        try (Engine first = bounced(backend, true); Engine other = bounced(backend, true)) {
            SessionFactory sessions = SessionFactory.builder().bind(first).build();
            Object serverPid;
            try (Session s = sessions.openSession().isolationLevel(IsolationLevel.SERIALIZABLE).readOnly(true)) {
                assertThat(s.execute("SHOW transaction_isolation").scalar()).isEqualTo("serializable");
                assertThat(s.execute("SHOW transaction_read_only").scalar()).isEqualTo("on");
                serverPid = s.execute("SELECT pg_backend_pid()").scalar();
                // The transaction's own READ ONLY: a refused write is the caller's mistake, not a demoted server.
                assertThatThrownBy(() -> s.execute("INSERT INTO " + TABLE + " VALUES (-1, 'x')"))
                        .isInstanceOf(StatementException.class).isNotInstanceOf(DisconnectionException.class);
                s.rollback();
                assertThat(first.status().checkedIn()).as("the connection went back, not discarded").isEqualTo(1);
            }
            for (Engine e : List.of(other, first)) {
                e.useConnection(c -> {
                    assertThat(c.execute("SELECT pg_backend_pid()").scalar()).as("the same server connection")
                            .isEqualTo(serverPid);
                    assertThat(c.execute("SHOW transaction_isolation").scalar()).isEqualTo("read committed");
                    assertThat(c.execute("SHOW transaction_read_only").scalar()).isEqualTo("off");
                    assertThat(c.execute("SHOW default_transaction_isolation").scalar()).isEqualTo("read committed");
                });
            }
        }
    }

    @Test
    void aSessionLevelSetLeaksToTheNextClientOfTheServerConnectionAsTheProbeAboveWouldSee() {
        try (Engine first = bounced("queue", false); Engine other = bounced("queue", true);
             Connection c = first.connect()) {
            try {
                // A session-level SET, as JDBC's setTransactionIsolation sends it (and Athanor no longer does).
                c.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                c.commit();
                assertThat(isolationSeenBy(other)).as("another client inherits it").isEqualTo("serializable");
            } finally {
                c.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED");
                c.commit();
            }
            assertThat(isolationSeenBy(other)).isEqualTo("read committed");
        }
    }

    private static String isolationSeenBy(Engine e) {
        try (Connection c = e.connect()) {
            return c.execute("SHOW transaction_isolation").scalar(String.class);
        }
    }
}
