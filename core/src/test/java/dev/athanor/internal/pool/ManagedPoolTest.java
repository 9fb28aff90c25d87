package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.EventLog;
import dev.athanor.InvalidationReason;
import dev.athanor.PoolListener;
import dev.athanor.ResetOnReturn;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine-side pool rules (pre-ping, recycle, pool-wide invalidation, reset on return, events, failed connects)
 * on the stub driver. The static pool reuses its one connection, which is enough to see reuse-time rules.
 */
class ManagedPoolTest {
    private StubDatabase db;
    private Engine engine;
    private final EventLog log = new EventLog();
    private final List<String> events = log.events();

    @BeforeEach
    void setUp() {
        db = StubDatabase.fresh();
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        assertThat(db.openNow()).as("physical connections left open").isZero();
    }

    private Engine engine(EngineBuilder b) {
        engine = b.build();
        engine.addListener(log);
        return engine;
    }

    private EngineBuilder staticPool() {
        return Engine.builder(db.url()).pool("static");
    }

    private void cycle() {
        engine.useConnection(c -> c.execute("SELECT 1").scalar());
    }

    @Test
    void prePingDoesNotPingAConnectionJustOpened() {
        engine(staticPool().poolPrePing(true));
        cycle();
        assertThat(db.validations()).isZero();
        cycle();
        assertThat(db.validations()).isEqualTo(1);
    }

    @Test
    void prePingReplacesADeadConnection() {
        engine(staticPool().poolPrePing(true));
        cycle();
        db.killAll();
        cycle();
        assertThat(db.opened()).isEqualTo(2);
        assertThat(events).containsSubsequence("checkin", "invalidate", "close", "connect", "checkout");
    }

    @Test
    void withoutPrePingADeadConnectionFailsAsDisconnectionAndIsDiscarded() {
        engine(staticPool());
        cycle();
        db.killAll();
        try (Connection c = engine.connect()) {
            assertThatThrownBy(() -> c.execute("SELECT 1")).isInstanceOf(DisconnectionException.class)
                    .hasMessageContaining("connection lost");
            assertThat(c.isInvalidated()).isTrue();
        }
        assertThat(events).contains("invalidate");
        cycle();
        assertThat(db.opened()).isEqualTo(2);
    }

    @Test
    void recycleReplacesAConnectionOlderThanTheLimitAtCheckout() {
        engine(staticPool().poolRecycle(Duration.ofNanos(1)));
        cycle();
        cycle();
        assertThat(db.opened()).isEqualTo(2);
        assertThat(db.closed()).isEqualTo(1);
    }

    @Test
    void disposeMarksConnectionsStaleSoTheyAreReplaced() {
        engine(staticPool());
        try (Connection held = engine.connect()) {
            held.execute("SELECT 1").scalar();
            engine.dispose();
        }
        cycle();
        assertThat(db.opened()).isEqualTo(2);
    }

    @Test
    void aConnectionReturnedAfterDisposeIsDiscardedAsStaleWithItsEvent() {
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine(Engine.builder(db.url()).pool("queue").poolSize(1).maxOverflow(0)).addListener(new PoolListener() {
            @Override
            public void onInvalidate(java.sql.Connection pooled, Throwable cause, InvalidationReason reason) {
                reasons.add(reason.tag());
            }
        });
        Connection held = engine.connect();
        engine.dispose();
        held.close();
        assertThat(reasons).as("invalidation reasons once the borrowed connection came back").containsExactly("stale");
        assertThat(events.subList(events.indexOf("checkout") + 1, events.size())).as("events after the checkout")
                .containsExactly("invalidate", "close");
        assertThat(engine.status().checkedIn()).as("idle: %s", engine.status()).isZero();
        assertThat(db.openNow()).isZero();
        cycle();
        assertThat(db.opened()).isEqualTo(2);
        assertThat(reasons).as("a connection opened after dispose() is kept").containsExactly("stale");
    }

    @Test
    void resetOnReturnRollsBackOnlyWhatRan() {
        engine(staticPool());
        engine.useConnection(c -> { });
        assertThat(db.rollbacks()).isZero();
        cycle();
        assertThat(db.rollbacks()).isEqualTo(1);
        assertThat(db.commits()).isZero();
    }

    @Test
    void resetOnReturnCommit() {
        engine(staticPool().resetOnReturn(ResetOnReturn.COMMIT));
        cycle();
        assertThat(db.commits()).isEqualTo(1);
        assertThat(db.rollbacks()).isZero();
    }

    @Test
    void resetOnReturnNone() {
        engine(staticPool().resetOnReturn(ResetOnReturn.NONE));
        cycle();
        assertThat(db.commits()).isZero();
        assertThat(db.rollbacks()).isZero();
    }

    @Test
    void aFailedConnectLeavesCountsAsTheyWere() {
        engine(Engine.builder(db.url()).pool("null"));
        db.failNextConnects(1);
        assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class)
                .hasMessageContaining("could not connect");
        assertThat(engine.status().checkedOut()).isZero();
        assertThat(events).isEmpty();
        cycle();
        assertThat(events).containsExactly("connect", "checkout", "checkin", "close");
    }

    @Test
    void withTheDatabaseDownPrePingPropagatesTheConnectError() {
        engine(staticPool().poolPrePing(true));
        cycle();
        db.killAll();
        db.down(true);
        assertThatThrownBy(engine::connect).isInstanceOf(DisconnectionException.class);
        assertThat(engine.status().checkedOut()).isZero();
        db.down(false);
        cycle();
        assertThat(engine.status().checkedOut()).isZero();
    }

    @Test
    void aThrowingListenerDoesNotBreakACheckout() {
        engine(staticPool());
        engine.addListener(new PoolListener() {
            @Override
            public void onCheckout(java.sql.Connection pooled) {
                throw new IllegalStateException("listener bug");
            }
        });
        cycle();
        assertThat(events).contains("checkout", "checkin");
    }
}
