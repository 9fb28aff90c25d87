package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.LeakDetection;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.spi.Knob;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Leak detection over the backend: a {@code Connection} or {@code Session} garbage-collected while open is reported,
 * rolled back and returned to the pool once, from the garbage collector's cleaner thread, so its slot serves the
 * next checkout. The engine does the detecting; what the backend must get right is a checkin that comes from a thread
 * that never borrowed, after the borrower is gone. Runs on every target: on the stub the rollback is counted, on a
 * database the leaked insert must not be there.
 */
abstract class LeakRules extends RuleGroup {
    /** How long the kit keeps running the garbage collector before it gives up on seeing the leak. */
    static final Duration PATIENCE = KitTime.millis(20_000);
    static final Duration TIMEOUT = KitTime.millis(5000);

    private String table;
    private long rollbacksBefore;

    LeakRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    private boolean sized() {
        return supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW) && supported(Knob.POOL_TIMEOUT);
    }

    /** A pool of one (when the backend sizes pools) watching for leaked connections. */
    private Engine leakyEngine() {
        boolean sized = sized();
        Engine e = engine(b -> (sized ? b.poolSize(1).maxOverflow(0).poolTimeout(TIMEOUT) : b)
                .leakDetection(LeakDetection.WARN));
        if (target() == Target.STUB) {
            table = "t";
            rollbacksBefore = fx.stub().rollbacks();
        } else {
            table = fx.uniqueName("kit_leak");
            fx.server().execute("CREATE TABLE " + table + " (n INT)");
            String t = table;
            fx.afterEnginesClose(() -> fx.server().execute("DROP TABLE " + t));
        }
        return e;
    }

    /**
     * A connection checked out, used for an insert and dropped without {@code close()} is found by the garbage
     * collector: the engine logs a WARN, rolls the insert back and returns the connection, once; the slot it held
     * (a pool of one) serves the next checkout. If this fails, check that {@code checkin()} works when called from
     * another thread than the borrower's (HikariCP's bag, thread-bound state) and ignores a second return.
     */
    @Test
    @DisplayName("LEAK-1: a connection garbage-collected while open is rolled back, returned once and frees its slot")
    @ContractRule(id = "LEAK-1", check = "that keep() works from a thread that never called take() (the leak"
            + " detector's cleaner thread): no thread-bound state in the store")
    void leakedConnectionIsReturnedOnce() {
        Engine e = leakyEngine();
        expectLeakHandled(e, "dev.athanor.pool", "connection opened on thread", LeakRules::leakConnection);
    }

    /**
     * A session that ran an insert and was dropped without {@code close()} is found by the garbage collector: the
     * WARN is logged, the transaction rolled back and the session's connection returned once; the slot serves the
     * next checkout. If this fails, check that {@code checkin()} works when called from another thread than the
     * borrower's and ignores a second return.
     */
    @Test
    @DisplayName("LEAK-2: a session garbage-collected while open is rolled back, returns its connection once and"
            + " frees its slot")
    @ContractRule(id = "LEAK-2", check = "that keep() works from a thread that never called take() (the leak"
            + " detector's cleaner thread): no thread-bound state in the store")
    void leakedSessionIsReturnedOnce() {
        Engine e = leakyEngine();
        SessionFactory sessions = SessionFactory.builder().bind(e).leakDetection(LeakDetection.WARN).build();
        expectLeakHandled(e, "dev.athanor.session", "session opened on thread", (engine, t) -> leakSession(sessions,
                t));
    }

    private interface Leak {
        void leak(Engine e, String table);
    }

    private void expectLeakHandled(Engine e, String logger, String warning, Leak leak) {
        Probe p = probe(e);
        String table = this.table;
        try (LeakWarnings warnings = LeakWarnings.capture(logger)) {
            leak.leak(e, table);
            assertThat(e.status().checkedOut()).as("borrowed right after the leak: %s", e.status()).isEqualTo(1);
            boolean returned = collectUntil(() -> p.checkins() + p.invalidations() >= 1);
            assertThat(returned).as("the leaked connection must go back to the pool once the garbage collector found"
                    + " it (ran the collector for %s; %s)", KitTime.show(PATIENCE), p.summary()).isTrue();
            String prefix = "[" + e.name() + "] ";
            assertThat(warnings.await(m -> m.startsWith(prefix) && m.contains(warning), KitTime.SETTLE))
                    .as("the leak must be logged at WARN on %s (%s)", logger, warnings.describe()).isTrue();
        }
        assertThat(KitTime.holdsFor(() -> p.checkins() + p.invalidations() == 1, KitTime.QUIET))
                .as("the leaked connection must be returned exactly once (%s)", p.summary()).isTrue();
        assertThat(e.status().checkedOut()).as("borrowed after the leak was reclaimed: %s", e.status()).isZero();
        assertRolledBack();
        Attempt next = attempt(e, TIMEOUT.plus(KitTime.SLACK));
        assertThat(next.succeeded()).as("the slot the leaked connection held must serve the next checkout (pool of"
                + " one), got %s after %s", next.finished() ? next.error() : "no connection",
                KitTime.show(next.elapsed())).isTrue();
        assertThat(e.status().checkedOut()).as("borrowed with the next checkout: %s", e.status()).isEqualTo(1);
        next.connection().close();
        assertThat(e.status().checkedOut()).as("borrowed at the end: %s", e.status()).isZero();
        assertThat(p.checkouts()).as("checkouts (%s)", p.summary()).isEqualTo(2);
        assertThat(p.checkins() + p.invalidations()).as("returns (%s)", p.summary()).isEqualTo(2);
    }

    private void assertRolledBack() {
        if (target() == Target.STUB) {
            assertThat(fx.stub().rollbacks()).as("ROLLBACKs after the leak").isGreaterThan(rollbacksBefore);
        } else {
            assertThat(fx.server().queryInt("SELECT COUNT(*) FROM " + table)).as("rows the leaked transaction"
                    + " inserted, seen from another connection: it must have been rolled back").isZero();
        }
    }

    /** Checks out, inserts and drops the connection; a method of its own so that no frame keeps it reachable. */
    private static void leakConnection(Engine e, String table) {
        e.connect().execute("INSERT INTO " + table + " (n) VALUES (1)");
    }

    private static void leakSession(SessionFactory sessions, String table) {
        Session s = sessions.openSession();
        s.execute("INSERT INTO " + table + " (n) VALUES (1)");
    }

    /** Runs the garbage collector until {@code done}, for at most {@link #PATIENCE}. */
    private static boolean collectUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            System.gc();
            if (KitTime.poll(done, Duration.ofMillis(50))) {
                return true;
            }
        }
        return false;
    }
}
