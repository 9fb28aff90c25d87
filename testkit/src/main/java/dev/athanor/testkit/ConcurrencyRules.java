package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.spi.Knob;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads hammering a small pool: the cap holds at every instant and nothing is leaked. Runs on every target.
 * Each run is bounded (40 threads × 20 borrows) and stops by itself.
 */
abstract class ConcurrencyRules extends RuleGroup {
    static final int THREADS = 40;
    static final int BORROWS = 20;
    /** The JUnit tag of the rules that need virtual threads, for a build's second test pass on a newer JDK. */
    static final String VIRTUAL_THREADS = "virtual-threads";

    ConcurrencyRules(PoolBackendContract contract, Target target) {
        super(contract, target);
    }

    /** Runs {@code threads} × {@code borrows} checkouts on {@code executor}; every failure is collected. */
    private List<Throwable> hammer(Engine e, ExecutorService executor, int threads, int borrows)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < borrows; i++) {
                    // Holding each connection a moment makes the threads really contend, even on two cores.
                    e.useConnection(c -> {
                        c.execute("SELECT 1").scalar();
                        Thread.sleep(1);
                    });
                }
                return null;
            }));
        }
        start.countDown();
        executor.shutdown();
        List<Throwable> failures = new ArrayList<>();
        if (!executor.awaitTermination(KitTime.millis(60_000).toMillis(), TimeUnit.MILLISECONDS)) {
            executor.shutdownNow();
            failures.add(new AssertionError("the " + threads + " threads did not finish within 60 s"));
        }
        for (Future<?> f : futures) {
            try {
                f.get(0, TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                failures.add(ex.getCause() != null ? ex.getCause() : ex);
            }
        }
        return failures;
    }

    private void capAndNoLeak(ExecutorService executor) throws InterruptedException {
        Engine e = engine(b -> b.poolSize(3).maxOverflow(2).poolTimeout(KitTime.millis(30_000)));
        List<Throwable> failures = hammer(e, executor, THREADS, BORROWS);
        Probe p = probe(e);
        assertThat(failures).as("checkouts that failed under contention (poolTimeout 30 s)").isEmpty();
        assertThat(p.peakBorrowed()).as("most connections borrowed at once with poolSize 3 + maxOverflow 2")
                .isLessThanOrEqualTo(5);
        if (bound(Knob.MAX_OVERFLOW, Knob.POOL_SIZE).isZero()) {
            // Exact: a connection closed at checkin is closed before its slot is given back. (An APPROXIMATE
            // backend closes extras late, so its physical count may briefly exceed the cap.)
            assertThat(p.peakOpen()).as("most physical connections open at once with poolSize 3 + maxOverflow 2")
                    .isLessThanOrEqualTo(5);
            if (target() == Target.STUB) {
                assertThat(fx.stub().maxOpenSeen()).as("most connections the database saw open at once")
                        .isLessThanOrEqualTo(5);
            }
        }
        assertThat(p.checkouts()).as("checkouts").isEqualTo(THREADS * BORROWS);
        assertThat(e.status().checkedOut()).as("borrowed after the hammering: %s", e.status()).isZero();
        Duration within = allowance(Knob.MAX_OVERFLOW, Knob.POOL_SIZE);
        assertThat(KitTime.poll(() -> p.openNow() <= 3, within)).as("connections open after the hammering, with"
                + " poolSize 3, %s (%s)", allowanceText(Knob.MAX_OVERFLOW, Knob.POOL_SIZE), p.summary()).isTrue();
        assertThat(e.status().open()).as("status().open() against the open connections (%s; %s)", p.summary(),
                e.status()).isEqualTo(p.openNow());
        expectServerOpen(p.openNow(), "after the hammering");
    }

    /**
     * 40 threads share a pool of 3 + 2: at no instant are more than 5 connections borrowed or (for an EXACT
     * backend) physically open, every checkout succeeds, and afterwards nothing is borrowed and at most 3 are open.
     * If this fails, check the native pool's maximum, that counts are updated atomically with the hand-out, and that
     * a connection closed at checkin is closed before its slot is given back.
     */
    @Test
    @Timeout(120)
    @DisplayName("CONC-1: 40 threads never see more than poolSize + maxOverflow connections, and nothing leaks")
    @ContractRule(id = "CONC-1", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that the"
            + " store opens connections only for take() (its native maximum at least PoolSpec.maxConnections()) and"
            + " that discard() closes at once")
    void capHoldsUnderContention() throws InterruptedException {
        capAndNoLeak(Executors.newFixedThreadPool(THREADS));
    }

    /**
     * With default settings, 20 threads borrowing and returning leave nothing borrowed, and after
     * {@code close()} nothing open. Fewer threads and borrows than CONC-1: this rule also runs for pools that open
     * a connection per checkout. If this fails, check thread safety of {@code checkout()}/{@code checkin()}.
     */
    @Test
    @Timeout(120)
    @DisplayName("CONC-2: after 20 threads borrow and return, nothing is borrowed or left open")
    @ContractRule(id = "CONC-2", check = "that take(), keep() and discard() are thread-safe and that close() closes"
            + " every connection, borrowed ones too")
    void nothingLeaksUnderContention() throws InterruptedException {
        Engine e = engine();
        List<Throwable> failures = hammer(e, Executors.newFixedThreadPool(20), 20, 5);
        assertThat(failures).as("checkouts that failed under contention").isEmpty();
        assertThat(probe(e).checkins() + probe(e).invalidations()).as("returns").isEqualTo(20 * 5);
        assertThat(e.status().checkedOut()).as("borrowed after the hammering: %s", e.status()).isZero();
        e.close();
        expectOpen(e, 0, KitTime.SETTLE, "after the hammering and close()");
    }

    /**
     * The same hammering from virtual threads (Java 21+): the cap holds and nothing leaks or deadlocks. Tagged
     * {@value #VIRTUAL_THREADS}: a build on Java 17 runs it in a second test pass on a newer JDK (Athanor's own build
     * does, and merges that pass's results into the same fidelity report). If this fails, check for blocking that
     * pins a carrier thread inside the native pool (synchronized + wait on old JDKs) and that waits are not tied to
     * the calling thread.
     */
    @Test
    @Tag(VIRTUAL_THREADS)
    @Timeout(120)
    @DisplayName("CONC-3: virtual threads see the same cap, and nothing leaks")
    @ContractRule(id = "CONC-3", knobs = {Knob.POOL_SIZE, Knob.MAX_OVERFLOW, Knob.POOL_TIMEOUT}, check = "that take()"
            + " does not pin carrier threads for long (no synchronized block around a connect)")
    void virtualThreads() throws Exception {
        Method factory;
        try {
            factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            factory = null;
        }
        Assumptions.assumeTrue(factory != null, "virtual threads need Java 21+, this is Java "
                + Runtime.version().feature());
        capAndNoLeak((ExecutorService) factory.invoke(null));
    }
}
