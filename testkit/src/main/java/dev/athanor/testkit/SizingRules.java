package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.spi.Knob;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sizing and overflow ({@code poolSize}, {@code maxOverflow}): what the backend keeps, opens and closes. Runs on
 * every target; the database's own count of connections is checked against the engine's.
 */
abstract class SizingRules extends RuleGroup {
    static final Duration SHORT_TIMEOUT = KitTime.millis(300);

    SizingRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /**
     * Building an engine or creating the backend opens nothing; each checkout opens at most the one connection it
     * needs, and nothing is opened ahead of demand. If this fails, check that {@code PoolProvider.create} opens no
     * connection and that no minimum-idle or initial-size setting makes the native pool fill itself.
     */
    @Test
    @DisplayName("SIZE-1: the pool starts empty and opens connections on demand, one per checkout")
    @ContractRule(id = "SIZE-1", knobs = Knob.POOL_SIZE, check = "that create() opens nothing and take() opens a"
            + " connection only when none is idle: no native minimum idle or initial size (HikariCP minimumIdle, DBCP"
            + " initialSize, c3p0 minPoolSize)")
    void lazyGrowth() {
        Engine e = engine(b -> b.poolSize(3).maxOverflow(2));
        assertThat(e.status().open()).as("status() of a new engine: %s", e.status()).isZero();
        startBackend(e);
        expectNoConnectsFor(e, 0, "after the backend was created, before any checkout");
        try (Connection first = e.connect()) {
            first.execute("SELECT 1").scalar();
            expectNoConnectsFor(e, 1, "after the first checkout (poolSize 3: the pool must not fill itself)");
            List<Connection> two = hold(e, 2);
            assertThat(probe(e).connects()).as("connections opened for 3 concurrent checkouts").isEqualTo(3);
            closeAll(two);
        }
        expectOpen(e, 3, KitTime.GRACE, "3 connections returned to a pool of size 3 are kept");
    }

    /**
     * A returned connection is handed to the next checkout instead of a new one being opened. If this fails,
     * check that {@code checkin()} keeps the connection while fewer than {@code poolSize} are idle.
     */
    @Test
    @DisplayName("SIZE-2: a returned connection is reused by the next checkout")
    @ContractRule(id = "SIZE-2", knobs = Knob.POOL_SIZE, check = "that take() hands out a connection kept by keep()"
            + " before it opens a new one")
    void idleConnectionsAreReused() {
        Engine e = engine(b -> b.poolSize(2));
        for (int i = 0; i < 5; i++) {
            cycle(e);
        }
        assertThat(probe(e).connects()).as("connections opened for 5 checkouts one after another (%s)",
                probe(e).summary()).isEqualTo(1);
        assertThat(e.status().checkedIn()).as("idle connections: %s", e.status()).isEqualTo(1);
    }

    /**
     * At most {@code poolSize + maxOverflow} connections exist at once; the next checkout waits and times out. If
     * this fails, check the native pool's maximum ({@code PoolSpec.maxConnections()}).
     */
    @Test
    @DisplayName("SIZE-3: at most poolSize + maxOverflow connections are open; one more checkout times out")
    @ContractRule(id = "SIZE-3", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT},
            check = "that the store opens connections only for take() and its native maximum is at least"
            + " PoolSpec.maxConnections(): the engine enforces the cap")
    void capIsNeverExceeded() {
        Engine e = engine(b -> b.poolSize(2).maxOverflow(1).poolTimeout(SHORT_TIMEOUT));
        List<Connection> three = hold(e, 3);
        Attempt fourth = attempt(e, SHORT_TIMEOUT.plus(KitTime.SLACK).plus(bound(Knob.POOL_TIMEOUT)));
        assertThat(fourth.succeeded()).as("a 4th checkout with poolSize 2 + maxOverflow 1 all borrowed must not get"
                + " a connection (%s)", probe(e).summary()).isFalse();
        assertThat(fourth.finished()).as("the 4th checkout must time out after poolTimeout %s, but it was still"
                + " waiting after %s", KitTime.show(SHORT_TIMEOUT), KitTime.show(fourth.elapsed())).isTrue();
        assertThat(fourth.error()).isInstanceOf(PoolTimeoutException.class);
        assertThat(probe(e).peakOpen()).as("most physical connections open at once").isEqualTo(3);
        PoolStatus s = e.status();
        assertThat(new int[] {s.checkedIn(), s.checkedOut(), s.overflow()}).as("status (idle, borrowed, overflow):"
                + " %s", s).containsExactly(0, 3, 1);
        expectServerOpen(3, "3 connections borrowed");
        closeAll(three);
    }

    /**
     * A connection returned while {@code poolSize} are already idle is closed; the first {@code poolSize} returned
     * are kept. If this fails, check that {@code checkin()} closes the connection when {@code PoolSpec.maxIdle()}
     * are idle already, or declare {@code maxOverflow} APPROXIMATE with the bound your pool meets.
     */
    @Test
    @DisplayName("SIZE-4: a connection returned while poolSize are idle is closed")
    @ContractRule(id = "SIZE-4", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that discard() closes the"
            + " connection at once (the engine discards what it does not keep idle)")
    void overflowIsClosedOnCheckin() {
        Engine e = engine(b -> b.poolSize(2).maxOverflow(2));
        List<Connection> four = hold(e, 4);
        four.get(0).close();
        four.get(1).close();
        assertThat(probe(e).openNow()).as("after returning 2 of 4 with poolSize 2, both are kept (%s)",
                probe(e).summary()).isEqualTo(4);
        Duration within = allowance(Knob.MAX_OVERFLOW, Knob.POOL_SIZE);
        four.get(2).close();
        expectOpen(e, 3, within, "the 3rd connection returned while 2 are idle is closed "
                + allowanceText(Knob.MAX_OVERFLOW, Knob.POOL_SIZE));
        four.get(3).close();
        expectOpen(e, 2, within, "the 4th connection returned while 2 are idle is closed "
                + allowanceText(Knob.MAX_OVERFLOW, Knob.POOL_SIZE));
        assertThat(KitTime.poll(() -> e.status().checkedIn() == 2 && e.status().overflow() == 0, within))
                .as("status after all returned: expected 2 idle, overflow 0, was %s", e.status()).isTrue();
    }

    /**
     * {@code maxOverflow -1}: any number of connections may be open; still only {@code poolSize} are kept idle. If
     * this fails, check that -1 (PoolSpec.unlimited()) maps to no limit (or a very large one) in the native pool.
     */
    @Test
    @DisplayName("SIZE-5: maxOverflow -1 allows any number of connections and keeps poolSize idle")
    @ContractRule(id = "SIZE-5", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW}, check = "that PoolSpec.unlimited() maps"
            + " to no native maximum and that discard() closes at once")
    void unlimitedOverflow() {
        Engine e = engine(b -> b.poolSize(2).maxOverflow(-1));
        List<Connection> eight = hold(e, 8);
        assertThat(probe(e).openNow()).as("8 checkouts with maxOverflow -1").isEqualTo(8);
        closeAll(eight);
        expectOpen(e, 2, allowance(Knob.MAX_OVERFLOW, Knob.POOL_SIZE), "after 8 returned with poolSize 2, the idle"
                + " connections beyond 2 are closed " + allowanceText(Knob.MAX_OVERFLOW, Knob.POOL_SIZE));
    }

    /**
     * {@code poolSize 0} means no limit on anything: any number open, all kept idle. If this fails, check that
     * {@code PoolSpec.maxIdle()} (Integer.MAX_VALUE) and {@code maxConnections()} are used as given.
     */
    @Test
    @DisplayName("SIZE-6: poolSize 0 puts no limit on open or idle connections")
    @ContractRule(id = "SIZE-6", knobs = Knob.POOL_SIZE, check = "that poolSize 0 (PoolSpec.unlimited(), maxIdle() ="
            + " Integer.MAX_VALUE) maps to no native maximum and no native idle cap")
    void poolSizeZeroIsUnlimited() {
        Engine e = engine(b -> b.poolSize(0));
        List<Connection> twelve = hold(e, 12);
        closeAll(twelve);
        assertThat(KitTime.holdsFor(() -> probe(e).openNow() == 12, KitTime.QUIET))
                .as("12 connections returned with poolSize 0 are all kept (%s)", probe(e).summary()).isTrue();
        assertThat(e.status().checkedIn()).as("idle connections: %s", e.status()).isEqualTo(12);
        expectServerOpen(12, "12 idle connections");
    }

    /**
     * Invalidating a borrowed connection closes it and frees its slot at once: with the pool full, the next
     * checkout succeeds. If this fails, check that {@code invalidate()} closes the connection and releases its
     * place in the native pool (e.g. DBCP invalidateObject, HikariCP evictConnection).
     */
    @Test
    @DisplayName("SIZE-7: an invalidated connection is closed and frees its slot")
    @ContractRule(id = "SIZE-7", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that"
            + " discard() closes the connection and removes it from the native pool")
    void invalidationFreesTheSlot() {
        Engine e = engine(b -> b.poolSize(1).maxOverflow(0).poolTimeout(SHORT_TIMEOUT));
        Connection c = e.connect();
        c.execute("SELECT 1").scalar();
        c.invalidate();
        expectOpen(e, 0, KitTime.GRACE, "the invalidated connection is closed");
        assertThat(e.status().checkedOut()).as("borrowed after invalidate: %s", e.status()).isZero();
        Attempt next = attempt(e, SHORT_TIMEOUT.plus(KitTime.SLACK));
        assertThat(next.succeeded()).as("a checkout after the only connection was invalidated must succeed, got %s",
                next.finished() ? next.error() : "no answer within " + KitTime.show(next.elapsed())).isTrue();
        Throwable none = catchThrowable(() -> next.connection().execute("SELECT 1").scalar());
        assertThat(none).as("the replacement connection works").isNull();
    }
}
