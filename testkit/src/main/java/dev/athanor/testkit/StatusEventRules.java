package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.PoolStatus;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code status()} counts and the pool events, on the stub (which counts every physical connect and close). */
abstract class StatusEventRules extends RuleGroup {

    StatusEventRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    private static int[] counts(PoolStatus s) {
        return new int[] {s.size(), s.checkedIn(), s.checkedOut(), s.overflow()};
    }

    /**
     * {@code status()} has SQLAlchemy's meaning: size = poolSize, checkedIn = idle, checkedOut = borrowed, overflow
     * = open minus poolSize (from -poolSize), and SQLAlchemy's text. If this fails, check that {@code status()}
     * returns {@code PoolStatus.queue(poolSize, idle, borrowed)} from the native pool's live counts.
     */
    @Test
    @DisplayName("STAT-1: status() reports poolSize, idle, borrowed and overflow with SQLAlchemy's meaning")
    @ContractRule(id = "STAT-1", knobs = Knob.POOL_SIZE, check = "that the store opens connections only in take() and"
            + " closes them only when told (discard(), dispose(), close()): the engine counts from its own calls")
    void statusCountsFollowSqlAlchemy() {
        Engine e = engine(b -> b.poolSize(3).maxOverflow(2));
        assertThat(counts(e.status())).as("(size, idle, borrowed, overflow) of a new pool: %s", e.status())
                .containsExactly(3, 0, 0, -3);
        assertThat(e.status()).hasToString("Pool size: 3  Connections in pool: 0 Current Overflow: -3 Current"
                + " Checked out connections: 0");
        List<Connection> two = hold(e, 2);
        assertThat(counts(e.status())).as("after 2 checkouts: %s", e.status()).containsExactly(3, 0, 2, -1);
        two.get(0).close();
        assertThat(counts(e.status())).as("after 1 of 2 returned: %s", e.status()).containsExactly(3, 1, 1, -1);
        List<Connection> four = hold(e, 4);
        assertThat(counts(e.status())).as("with 5 borrowed: %s", e.status()).containsExactly(3, 0, 5, 2);
        two.get(1).close();
        closeAll(four);
        assertThat(KitTime.poll(() -> e.status().checkedIn() == 3 && e.status().overflow() == 0,
                allowance(Knob.MAX_OVERFLOW, Knob.POOL_SIZE))).as("after all returned: expected 3 idle, overflow 0,"
                + " was %s", e.status()).isTrue();
        assertThat(e.status().open()).as("status().open() against the physical connections open (%s)",
                probe(e).summary()).isEqualTo(probe(e).openNow());
    }

    /**
     * Whatever the pool kind, {@code checkedOut()} counts the borrowed connections. If this fails, check that
     * {@code status()} counts a connection as borrowed from {@code checkout()} until {@code checkin()} or
     * {@code invalidate()}.
     */
    @Test
    @DisplayName("STAT-2: status().checkedOut() counts borrowed connections for every kind of pool")
    @ContractRule(id = "STAT-2", check = "that take() hands a connection out only once until keep() or discard() gets"
            + " it back")
    void borrowedConnectionsAreCounted() {
        Engine e = engine();
        List<Connection> three = hold(e, 3);
        assertThat(e.status().checkedOut()).as("borrowed with 3 out: %s", e.status()).isEqualTo(3);
        three.get(0).close();
        three.get(1).invalidate();
        assertThat(e.status().checkedOut()).as("borrowed after 1 returned and 1 invalidated: %s", e.status())
                .isEqualTo(1);
        three.get(2).close();
        assertThat(e.status().checkedOut()).as("borrowed after all came back: %s", e.status()).isZero();
    }

    /**
     * Every physical connection is opened through the engine's {@code ConnectionSource} and closed once: the
     * engine's connect and close events match what the database saw, through overflow, invalidation, dispose and
     * close. If this fails, check that the native pool is given {@code ConnectionSource.asDataSource()} (or calls
     * {@code connect()}), never the JDBC URL.
     */
    @Test
    @DisplayName("EVT-1: every physical connect and close goes through the engine and is reported once")
    @ContractRule(id = "EVT-1", check = "that the native pool gets its connections from ConnectionSource"
            + " (asDataSource() or connect()), never from the JDBC URL or DriverManager, and that discard(), dispose()"
            + " and close() close what they drop")
    void connectAndCloseAreReportedOnce() {
        StubDatabase db = fx.stub();
        Engine e = engine();
        cycle(e);
        List<Connection> three = hold(e, 3);
        three.get(0).invalidate();
        three.get(1).close();
        e.dispose();
        three.get(2).close();
        cycle(e);
        e.close();
        Probe p = probe(e);
        assertThat(KitTime.poll(() -> db.openNow() == 0, KitTime.SETTLE)).as("connections open on the database after"
                + " close()").isTrue();
        assertThat(p.connects()).as("onConnect events against connections the database opened (%s)", p.summary())
                .isEqualTo(db.opened());
        assertThat(p.closes()).as("onClose events against connections the database closed (%s)", p.summary())
                .isEqualTo(db.closed());
    }

    /**
     * Every borrow fires one checkout and one checkin, in that order, and a first checkout is preceded by its
     * connect. If this fails, check that {@code checkout()} and {@code checkin()} do not call each other or the
     * engine's pool (no nested borrow).
     */
    @Test
    @DisplayName("EVT-2: checkout and checkin events pair up, in order, for every borrow")
    @ContractRule(id = "EVT-2", check = "that take() and keep() do not borrow or return through the engine themselves")
    void checkoutAndCheckinPairUp() {
        Engine e = engine();
        for (int i = 0; i < 3; i++) {
            cycle(e);
        }
        List<String> events = probe(e).events().stream().filter(s -> s.startsWith("check")).toList();
        assertThat(events).as("checkout/checkin events of 3 borrows").containsExactly("checkout", "checkin",
                "checkout", "checkin", "checkout", "checkin");
        assertThat(probe(e).events().get(0)).as("the first event").isEqualTo("connect");
    }

    /**
     * An invalidated connection fires onInvalidate, is closed (onClose) and is never handed out again. If this
     * fails, check that {@code invalidate()} closes the physical connection and removes it from the native pool.
     */
    @Test
    @DisplayName("EVT-3: an invalidated connection is reported, closed and never handed out again")
    @ContractRule(id = "EVT-3", check = "that discard() closes the physical connection and removes it from the native"
            + " pool")
    void invalidatedConnectionIsNotReused() throws SQLException {
        Engine e = engine();
        Connection c = e.connect();
        Object physical = c.jdbc().unwrap(probe(e).openPhysicals().iterator().next().getClass());
        c.invalidate();
        List<String> events = probe(e).events();
        assertThat(events.subList(events.indexOf("invalidate"), events.size())).as("events after invalidate()")
                .startsWith("invalidate").contains("close");
        try (Connection next = e.connect()) {
            Object again = next.jdbc().unwrap(physical.getClass());
            assertThat(again).as("the connection after an invalidation is a new one").isNotSameAs(physical);
        }
    }

    /**
     * The connections a backend hands out unwrap to the ones {@code ConnectionSource.connect()} returned: that is
     * how the engine reads their age and marks them for pre-ping and pool-wide invalidation. If this fails, check
     * the backend's proxies implement {@code unwrap} by delegating to the source's connection.
     */
    @Test
    @DisplayName("EVT-4: every connection handed out unwraps to the one the ConnectionSource opened")
    @ContractRule(id = "EVT-4", check = "that what take() returns unwraps (Connection.unwrap, isWrapperFor) to the"
            + " connection ConnectionSource.connect() returned")
    void handedOutConnectionsUnwrapToTheSource() throws SQLException {
        Engine e = engine();
        List<Connection> two = hold(e, 2);
        Class<? extends java.sql.Connection> physicalType = probe(e).openPhysicals().iterator().next().getClass();
        for (Connection c : two) {
            assertThat(c.jdbc().isWrapperFor(physicalType)).as("isWrapperFor(the source's connection type)").isTrue();
            Object unwrapped = c.jdbc().unwrap(physicalType);
            assertThat(probe(e).opened(unwrapped)).as("unwrap() returns a connection the source opened, was %s",
                    unwrapped).isTrue();
        }
        closeAll(two);
    }

    /**
     * With {@code poolSize 0} (no limit) {@code overflow()} is 0 whatever is open, as SQLAlchemy reports: nothing is
     * beyond a pool size that does not limit. If this fails, check that {@code status()} is built with
     * {@code PoolStatus.queue(poolSize, idle, borrowed)}.
     */
    @Test
    @DisplayName("STAT-3: with poolSize 0 (no limit) overflow() is 0")
    @ContractRule(id = "STAT-3", knobs = Knob.POOL_SIZE, check = "that the store opens connections only in take() and"
            + " closes them only when told: the engine counts from its own calls")
    void unlimitedPoolHasNoOverflow() {
        Engine e = engine(b -> b.poolSize(0));
        List<Connection> three = hold(e, 3);
        assertThat(counts(e.status())).as("(size, idle, borrowed, overflow) with 3 borrowed, poolSize 0: %s",
                e.status()).containsExactly(0, 0, 3, 0);
        closeAll(three);
        assertThat(counts(e.status())).as("(size, idle, borrowed, overflow) with 3 idle, poolSize 0: %s",
                e.status()).containsExactly(0, 3, 0, 0);
    }

    /**
     * Whatever a listener throws from {@code onCheckout} or {@code onCheckin} (an {@code Error}, a checked exception
     * thrown sneakily), the connection goes back to the pool and the counts stay right: the pool never runs dry.
     * An Error from {@code onCheckout} fails that checkout after the connection went back; exceptions are logged
     * and ignored. If this fails, check that {@code checkin()} and {@code invalidate()} keep counts right when called
     * for a connection that was just lent.
     */
    @Test
    @DisplayName("EVT-5: a listener that throws anything never strands a connection")
    @ContractRule(id = "EVT-5", check = "that keep() and discard() accept a connection right after take() returned it")
    void throwingListenerNeverStrandsAConnection() {
        Engine e = engine(b -> supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW)
                ? b.poolSize(1).maxOverflow(0).poolTimeout(Duration.ofSeconds(2)) : b);
        Throwing listener = new Throwing();
        e.addListener(listener);
        for (Throwable t : List.of(new AssertionError("listener error"), new Exception("sneaky checked"),
                new IllegalStateException("runtime"))) {
            listener.onCheckout = t;
            Throwable failure = catchThrowable(() -> e.connect().close());
            if (t instanceof Error) {
                assertThat(failure).as("a checkout whose onCheckout threw %s", t).isSameAs(t);
            } else {
                assertThat(failure).as("a checkout whose onCheckout threw %s (logged and ignored)", t).isNull();
            }
            assertThat(e.status().checkedOut()).as("borrowed after onCheckout threw %s: %s", t, e.status()).isZero();
            listener.onCheckout = null;
            listener.onCheckin = t;
            Connection c = e.connect();
            Throwable closing = catchThrowable(c::close);
            assertThat(closing).as("close() whose onCheckin threw %s", t).isSameAs(t instanceof Error ? t : null);
            listener.onCheckin = null;
            assertThat(e.status().checkedOut()).as("borrowed after onCheckin threw %s: %s", t, e.status()).isZero();
            try (Connection next = fx.hold(e)) {
                assertThat(catchThrowable(() -> next.execute("SELECT 1").scalar()))
                        .as("a checkout after onCheckin threw %s", t).isNull();
            }
        }
        assertThat(probe(e).openNow()).as("physical connections open (%s)", probe(e).summary())
                .isLessThanOrEqualTo(1);
    }

    /** Throws what it is told to, sneakily for checked exceptions. */
    private static final class Throwing implements PoolListener {
        volatile Throwable onCheckout;
        volatile Throwable onCheckin;

        @Override
        public void onCheckout(java.sql.Connection pooled) {
            throwIt(onCheckout);
        }

        @Override
        public void onCheckin(java.sql.Connection pooled) {
            throwIt(onCheckin);
        }

        private static void throwIt(Throwable t) {
            if (t != null) {
                Throwing.<RuntimeException>sneaky(t);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneaky(Throwable t) throws T {
            throw (T) t;
        }
    }
}
