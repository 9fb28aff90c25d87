package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replica routing on the stub driver, with a clock and replication positions the test controls. */
@Timeout(30)
class ReplicaRoutingTest {
    private final List<Engine> engines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final FakeSql sql = new FakeSql();
    private StubDatabase primaryDb;
    private StubDatabase db1;
    private StubDatabase db2;
    private Engine primary;
    private Engine replica1;
    private Engine replica2;

    @BeforeEach
    void setUp() {
        primaryDb = StubDatabase.fresh();
        db1 = StubDatabase.fresh();
        db2 = StubDatabase.fresh();
        primary = engine(primaryDb, "primary");
        replica1 = engine(db1, "replica1");
        replica2 = engine(db2, "replica2");
    }

    @AfterEach
    void tearDown() {
        engines.forEach(Engine::close);
    }

    private Engine engine(StubDatabase db, String name) {
        Engine e = Engine.builder(db.url()).poolName(name).build();
        engines.add(e);
        return e;
    }

    private SessionFactoryBuilder builder() {
        return SessionFactory.builder().bind(primary).replica(replica1).replica(replica2)
                .replicaSelection(ReplicaSelection.IN_ORDER).replicaInternals(clock::get, d -> sql);
    }

    /** The engine a transaction of {@code s} runs on (it begins one if none is open). */
    private static String where(Session s) {
        String name = s.connection().engine().name();
        s.rollback();
        return name;
    }

    private static String readOnly(Session s) {
        s.readOnly(true);
        return where(s);
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void readOnlyTransactionsRunOnAReplicaAndEveryOtherOnThePrimary() {
        SessionFactory sessions = builder().build();
        try (Session s = sessions.openSession()) {
            assertThat(where(s)).isEqualTo("primary");
            assertThat(readOnly(s)).isEqualTo("replica1");
            assertThat(where(s)).as("read-only lasts one transaction").isEqualTo("primary");
        }
        try (Session s = sessions.toBuilder().readOnly(true).build().openSession()) {
            assertThat(where(s)).as("the factory's read-only default").isEqualTo("replica1");
            s.readOnly(false);
            assertThat(where(s)).isEqualTo("primary");
        }
    }

    @Test
    void roundRobinStartsEachTransactionWithTheNextReplica() {
        SessionFactory sessions = builder().replicaSelection(ReplicaSelection.ROUND_ROBIN).build();
        List<String> seen = new ArrayList<>();
        try (Session s = sessions.openSession()) {
            for (int i = 0; i < 4; i++) {
                seen.add(readOnly(s));
            }
        }
        assertThat(seen).containsExactly("replica1", "replica2", "replica1", "replica2");
    }

    @Test
    void aNamedBindRoutesOnItsOwnAndBindsWithoutReplicasStayOnTheirEngine() {
        Engine users = engine(StubDatabase.fresh(), "users");
        Engine usersReplica = engine(StubDatabase.fresh(), "usersReplica");
        Engine blogs = engine(StubDatabase.fresh(), "blogs");
        SessionFactory sessions = builder().bind("users", users).replica("users", usersReplica)
                .bind("blogs", blogs).build();
        try (Session s = sessions.openSession().readOnly(true)) {
            assertThat(s.connection("users").engine().name()).isEqualTo("usersReplica");
            assertThat(s.connection("blogs").engine().name()).isEqualTo("blogs");
            assertThat(s.connection().engine().name()).isEqualTo("replica1");
        }
    }

    @Test
    void afterACommittedWriteReadsGoToAReplicaOnlyOnceItHasReplayedIt() {
        SessionFactory sessions = builder().build();
        try (Session writer = sessions.openSession(); Session other = sessions.openSession()) {
            sql.primaryPosition = 7;
            writer.execute("UPDATE t SET x = 1");
            writer.commit();
            assertThat(sql.positionReads).isEqualTo(1);
            assertThat(readOnly(writer)).as("no replica has replayed 7").isEqualTo("primary");
            assertThat(readOnly(other)).as("another session has nothing pending").isEqualTo("replica1");

            sql.replayed.put("replica2", 7L);
            assertThat(readOnly(writer)).isEqualTo("replica2");
            sql.replayed.put("replica1", 7L);
            int checks = sql.replayChecks;
            assertThat(readOnly(writer)).isEqualTo("replica1");
            assertThat(sql.replayChecks).isEqualTo(checks + 1);
            assertThat(readOnly(writer)).isEqualTo("replica1");
            assertThat(sql.replayChecks).as("every replica has replayed it: no more checks").isEqualTo(checks + 1);
        }
    }

    @Test
    void aScopedSessionKeepsReadYourWritesForItsScopeOnly() throws Exception {
        SessionFactory sessions = builder().build();
        ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
        try {
            sql.primaryPosition = 9;
            db.execute("UPDATE t SET x = 1");
            db.commit();
            assertThat(readOnly(db.current())).isEqualTo("primary");
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                assertThat(other.submit(() -> {
                    try {
                        return readOnly(db.current());
                    } finally {
                        db.remove();
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS)).as("another thread's scope").isEqualTo("replica1");
            } finally {
                other.shutdownNow();
            }
        } finally {
            db.remove();
        }
        try (Session fresh = sessions.openSession()) {
            assertThat(readOnly(fresh)).as("a new session: nothing pending").isEqualTo("replica1");
        }
    }

    @Test
    void manyThreadsShareTheRouterWhileAReplicaComesAndGoes() throws Exception {
        SessionFactory sessions = builder().replicaSelection(ReplicaSelection.ROUND_ROBIN)
                .replicaCooldown(Duration.ofMillis(1)).replicaInternals(System::nanoTime, d -> sql).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.ConcurrentHashMap<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        if (thread == 0 && i % 50 == 0) {
                            db1.down(i % 100 == 0);
                        }
                        String where = sessions.inTransaction(s -> {
                            s.readOnly(true);
                            return s.connection().engine().name();
                        });
                        seen.merge(where, 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : work) {
                f.get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            db1.down(false);
        }
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2400);
        assertThat(seen).containsKeys("replica1", "replica2").doesNotContainKey("primary");
        assertThat(primary.status().checkedOut() + replica1.status().checkedOut() + replica2.status().checkedOut())
                .isZero();
    }

    @Test
    void aRolledBackOrReadOnlyTransactionLeavesNothingPending() {
        SessionFactory sessions = builder().build();
        try (Session s = sessions.openSession()) {
            s.execute("UPDATE t SET x = 1");
            s.rollback();
            readOnly(s);
            s.readOnly(true).execute("SELECT 1");
            s.commit();
            assertThat(sql.positionReads).isZero();
            assertThat(readOnly(s)).isEqualTo("replica1");
            assertThat(sql.replayChecks).isZero();
        }
    }

    @Test
    void underAutocommitTheWritesPositionIsReadWhenTheTransactionEndsCommittedOrNot() {
        SessionFactory sessions = builder().isolationLevel(IsolationLevel.AUTOCOMMIT).build();
        try (Session s = sessions.openSession()) {
            sql.primaryPosition = 3;
            s.execute("UPDATE t SET x = 1");
            s.rollback(); // the statement committed as it ran
            assertThat(sql.positionReads).isEqualTo(1);
            assertThat(readOnly(s)).isEqualTo("primary");
            sql.replayed.put("replica1", 3L);
            assertThat(readOnly(s)).isEqualTo("replica1");
        }
    }

    @Test
    void aWriteWhosePositionCannotBeReadPinsTheSessionsReadsToThePrimaryUntilALaterWriteIsKnown() {
        SessionFactory sessions = builder().build();
        try (Session s = sessions.openSession()) {
            sql.failPositionReads = true;
            s.execute("UPDATE t SET x = 1");
            s.commit(); // the commit itself succeeded: no error for the caller
            sql.replayed.put("replica1", 100L);
            assertThat(readOnly(s)).isEqualTo("primary");
            assertThat(sql.replayChecks).as("nothing to check: the position is unknown").isZero();
            sql.failPositionReads = false;
            sql.primaryPosition = 5;
            s.execute("UPDATE t SET x = 2");
            s.commit();
            assertThat(readOnly(s)).isEqualTo("replica1");
        }
    }

    @Test
    void withoutKnownPositionsAWritePinsTheSessionsReadsToThePrimary() {
        SessionFactory sessions = builder().replicaInternals(clock::get, ReplicaSql::of).build(); // stub: generic
        try (Session s = sessions.openSession(); Session other = sessions.openSession()) {
            assertThat(readOnly(s)).isEqualTo("replica1");
            s.execute("UPDATE t SET x = 1");
            s.commit();
            assertThat(readOnly(s)).isEqualTo("primary");
            assertThat(readOnly(s)).isEqualTo("primary");
            assertThat(readOnly(other)).isEqualTo("replica1");
        }
    }

    @Test
    void anUnreachableReplicaIsSkippedForTheCooldownThenTriedAgain() {
        SessionFactory sessions = builder().replicaCooldown(Duration.ofSeconds(10)).build();
        db1.down(true);
        try (Session s = sessions.openSession()) {
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(db1.connectAttempts()).isEqualTo(1);
            ReplicaStatus status = sessions.replicaStatus().get(0);
            assertThat(status.state()).isEqualTo(ReplicaState.COOLING_DOWN);
            assertThat(status.cooldownRemaining()).isEqualTo(Duration.ofSeconds(10));
            assertThat(status.lastError()).contains("could not connect");

            db1.down(false);
            advance(Duration.ofSeconds(9));
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(db1.connectAttempts()).as("not tried while cooling down").isEqualTo(1);
            advance(Duration.ofSeconds(1));
            assertThat(readOnly(s)).isEqualTo("replica1");
            assertThat(sessions.replicaStatus().get(0).state()).isEqualTo(ReplicaState.UP);
        }
    }

    @Test
    void withEveryReplicaDownReadsGoToThePrimaryOrFailWhenSoConfigured() {
        db1.down(true);
        db2.down(true);
        try (Session s = builder().build().openSession()) {
            assertThat(readOnly(s)).isEqualTo("primary");
        }
        SessionFactory failing = builder().replicaFallback(ReplicaFallback.FAIL).replicaCooldown(Duration.ZERO)
                .build();
        try (Session s = failing.openSession().readOnly(true)) {
            assertThatThrownBy(() -> s.execute("SELECT 1"))
                    .isInstanceOf(ReplicaUnavailableException.class)
                    .hasMessageContaining("no replica of bind 'default' can take a read-only transaction")
                    .hasMessageContaining("replica1: [replica1] could not connect")
                    .hasMessageContaining("replica2: [replica2] could not connect");
            assertThat(s.isActive()).isFalse();
        }
    }

    @Test
    void aConnectionLostOnAReplicaDuringATransactionSurfacesAndCoolsTheReplicaDown() {
        SessionFactory sessions = builder().build();
        try (Session s = sessions.openSession().readOnly(true)) {
            s.execute("SELECT 1");
            db1.killAll();
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(DisconnectionException.class);
            s.rollback();
            assertThat(sessions.replicaStatus().get(0).state()).isEqualTo(ReplicaState.COOLING_DOWN);
            assertThat(sessions.replicaStatus().get(0).lastError()).contains("lost during a transaction");
            assertThat(readOnly(s)).isEqualTo("replica2");
        }
    }

    @Test
    void aReplicaOverTheMaximumLagIsSkippedAndItsLagMeasuredAtMostOncePerInterval() {
        SessionFactory sessions = builder().replicaMaxLag(Duration.ofSeconds(5))
                .replicaLagCheckInterval(Duration.ofSeconds(2)).build();
        sql.lags.put("replica1", Duration.ofSeconds(30));
        sql.lags.put("replica2", Duration.ofMillis(100));
        try (Session s = sessions.openSession()) {
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(sql.lagChecks).as("once per replica in the interval").isEqualTo(2);
            assertThat(sessions.replicaStatus()).extracting(ReplicaStatus::state, ReplicaStatus::lag)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ReplicaState.LAGGING, Duration.ofSeconds(30)),
                            org.assertj.core.groups.Tuple.tuple(ReplicaState.UP, Duration.ofMillis(100)));

            sql.lags.put("replica1", Duration.ofSeconds(1));
            advance(Duration.ofSeconds(2));
            assertThat(readOnly(s)).isEqualTo("replica1");
            assertThat(sql.lagChecks).isEqualTo(3);
            sql.lags.remove("replica1"); // e.g. replication stopped: no lag reported
            advance(Duration.ofSeconds(2));
            assertThat(readOnly(s)).isEqualTo("replica2");
            assertThat(sessions.replicaStatus().get(0).state()).isEqualTo(ReplicaState.LAGGING);
            assertThat(sessions.replicaStatus().get(0).lastError()).contains("reports none");
        }
    }

    @Test
    void statusListsEveryReplicaOfEveryBindAsUpBeforeAnyUse() {
        Engine users = engine(StubDatabase.fresh(), "users");
        Engine usersReplica = engine(StubDatabase.fresh(), "usersReplica");
        SessionFactory sessions = builder().bind("users", users).replica("users", usersReplica).build();
        assertThat(sessions.replicaStatus()).extracting(ReplicaStatus::bind, ReplicaStatus::engine,
                ReplicaStatus::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("default", "replica1", ReplicaState.UP),
                org.assertj.core.groups.Tuple.tuple("default", "replica2", ReplicaState.UP),
                org.assertj.core.groups.Tuple.tuple("users", "usersReplica", ReplicaState.UP));
        assertThat(sessions.replicaStatus().get(0).toString()).isEqualTo("Replica[default -> replica1: UP]");
        assertThat(SessionFactory.builder().bind(primary).build().replicaStatus()).isEmpty();
        SessionFactory copy = sessions.toBuilder().build();
        assertThat(copy.replicaStatus()).hasSize(3);
    }

    @Test
    void buildReportsEveryReplicaProblemAtOnce() {
        Engine h2 = Engine.builder("h2:mem:replica_routing_h2").poolName("h2").build();
        engines.add(h2);
        Engine closed = engine(StubDatabase.fresh(), "closed");
        closed.close();
        assertThatThrownBy(() -> SessionFactory.builder().bind(primary)
                .replica("nope", replica1).replica(primary).replica(replica1).replica(replica1).replica(closed)
                .replica(h2).replica(" ", replica1).replica("x", null)
                .replicaCooldown(Duration.ofSeconds(-1)).replicaMaxLag(Duration.ZERO)
                .replicaLagCheckInterval(null).replicaFallback(null).replicaSelection(null).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "replica bind name must not be empty, was ' '",
                        "replica of bind 'x' needs an engine, was null",
                        "replicaCooldown must be >= 0, was PT-1S",
                        "replicaMaxLag must be > 0 (or null: no maximum), was PT0S",
                        "replicaLagCheckInterval must be > 0, was null",
                        "replicaFallback must be one of PRIMARY, FAIL, was null",
                        "replicaSelection must be one of ROUND_ROBIN, IN_ORDER, was null",
                        "replica [replica1] given for bind 'nope', but there is no bind named 'nope'; the binds are"
                                + " [default]",
                        "replica primary of bind 'default' is the bind's own engine (primary, " + primary.url()
                                + "): a replica must be another server",
                        "replica replica1 of bind 'default' is given twice",
                        "replica closed of bind 'default' is closed",
                        "replica h2 of bind 'default' is h2 but the bind's engine is generic: a replica must be of"
                                + " the same database"));
    }

    @Test
    void aMaximumLagNeedsADatabaseWhoseLagCanBeMeasured() {
        assertThatThrownBy(() -> SessionFactory.builder().bind(primary).replica(replica1)
                .replicaMaxLag(Duration.ofSeconds(1)).build())
                .hasMessageContaining("replicaMaxLag needs replicas whose lag Athanor can measure (postgresql,"
                        + " mariadb); bind 'default' is generic");
    }

    /** Positions are numbers; each replica has replayed up to what the test says. */
    static final class FakeSql extends ReplicaSql {
        final Map<String, Long> replayed = new ConcurrentHashMap<>();
        final Map<String, Duration> lags = new ConcurrentHashMap<>();
        long primaryPosition;
        boolean failPositionReads;
        int positionReads;
        int replayChecks;
        int lagChecks;

        @Override
        String position(Connection primary) {
            positionReads++;
            if (failPositionReads) {
                throw new StatementException("stub: no position", "SELECT position", List.of(), null);
            }
            return Long.toString(primaryPosition);
        }

        @Override
        boolean hasReplayed(Connection replica, String position) {
            replayChecks++;
            return replayed.getOrDefault(replica.engine().name(), 0L) >= Long.parseLong(position);
        }

        @Override
        Duration lag(Connection replica) {
            lagChecks++;
            return lags.get(replica.engine().name());
        }
    }
}
