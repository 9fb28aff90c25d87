package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.spi.Knob;
import dev.athanor.testing.stub.StubDatabase;

import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Failed and hanging connects, injected with the stub driver. */
abstract class ConnectFailureRules extends RuleGroup {

    ConnectFailureRules(PoolBackendContract contract) {
        super(contract, Target.STUB);
    }

    private boolean sized() {
        return supported(Knob.POOL_SIZE) && supported(Knob.MAX_OVERFLOW) && supported(Knob.POOL_TIMEOUT);
    }

    /**
     * A checkout whose connect fails throws the connect error and leaves every count as it was: nothing borrowed,
     * nothing open, no slot taken (with a pool of one, the next checkout succeeds at once). If this fails, check
     * that {@code checkout()} releases the slot it reserved when {@code ConnectionSource.connect()} throws.
     */
    @Test
    @DisplayName("CONN-1: a failed connect leaves every count as it was and takes no slot")
    @ContractRule(id = "CONN-1", check = "that take() propagates ConnectionSource.connect()'s SQLException and keeps"
            + " nothing of a failed connect")
    void failedConnectLeavesCountsUnchanged() {
        StubDatabase db = fx.stub();
        boolean sized = sized();
        Duration timeout = KitTime.millis(1000);
        Engine e = engine(b -> sized ? b.poolSize(1).maxOverflow(0).poolTimeout(timeout) : b);
        Duration limit = (sized ? timeout.plus(bound(Knob.POOL_TIMEOUT)) : KitTime.millis(5000)).plus(KitTime.SLACK);
        db.down(true);
        for (int i = 1; i <= 3; i++) {
            Attempt a = attempt(e, limit);
            assertThat(a.finished()).as("checkout %d with the database down must fail, was still waiting after %s", i,
                    KitTime.show(a.elapsed())).isTrue();
            assertThat(StubPrePingRules.connectFailure(a.error())).as("checkout %d must fail with the driver's connect"
                    + " error (SQLState 08001) as a cause, was %s", i, a.error()).isTrue();
            PoolStatus s = e.status();
            assertThat(new int[] {s.checkedIn(), s.checkedOut()}).as("status (idle, borrowed) after failed connect"
                    + " %d: %s", i, s).containsExactly(0, 0);
            assertThat(probe(e).openNow()).as("open after failed connect %d", i).isZero();
        }
        db.down(false);
        Attempt ok = attempt(e, sized ? timeout.dividedBy(2) : limit);
        assertThat(ok.succeeded()).as("once the database is back a checkout must succeed at once (a failed connect"
                + " must not keep its slot), got %s", ok.finished() ? ok.error() : "no answer within "
                + KitTime.show(ok.elapsed())).isTrue();
        assertThat(e.status().checkedOut()).as("borrowed: %s", e.status()).isEqualTo(1);
    }

    /**
     * A connect that hangs does not block the rest of the pool: while it hangs, a connection returned by another
     * borrower reaches a waiting checkout, and the return itself does not block. If this fails, check that
     * {@code checkout()} does not hold a pool-wide lock while calling {@code ConnectionSource.connect()}.
     */
    @Test
    @DisplayName("CONN-2: a hanging connect does not block other checkouts and checkins")
    @ContractRule(id = "CONN-2", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that take()"
            + " calls ConnectionSource.connect() without holding a lock that keep(), discard() or other take() calls"
            + " need")
    void hangingConnectDoesNotBlockOthers() throws Exception {
        StubDatabase db = fx.stub();
        Engine e = engine(b -> b.poolSize(1).maxOverflow(1).poolTimeout(KitTime.millis(10_000)));
        Connection a = fx.hold(e);
        StubDatabase.Hang hang = db.hangConnects();
        fx.onClose(hang);
        Future<Connection> opening = fx.async(() -> fx.hold(e));
        assertThat(hang.awaitBlocked(1, KitTime.millis(3000))).as("a checkout needing a new connection must call"
                + " ConnectionSource.connect()").isTrue();
        Future<Connection> waiting = fx.async(() -> fx.hold(e));
        KitTime.sleep(KitTime.millis(100));
        long start = System.nanoTime();
        Future<Object> returning = fx.async(() -> {
            a.close();
            return null;
        });
        Duration limit = KitTime.millis(1500);
        boolean returned = KitTime.poll(returning::isDone, limit);
        assertThat(returned).as("returning a connection must not wait for a hanging connect").isTrue();
        boolean served = KitTime.poll(() -> done(opening) || done(waiting), limit);
        assertThat(served).as("while a connect hangs, a returned connection must reach a waiting checkout within %s"
                + " (waited %s)", KitTime.show(limit), KitTime.show(Duration.ofNanos(System.nanoTime() - start)))
                .isTrue();
        hang.close();
        assertThat(await(opening, start, KitTime.millis(5000)).finished()).isTrue();
        assertThat(await(waiting, start, KitTime.millis(5000)).finished()).isTrue();
    }

    private static boolean done(Future<Connection> f) {
        if (!f.isDone()) {
            return false;
        }
        try {
            return f.get() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
