package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.PoolTimeoutException;
import dev.athanor.spi.PoolSpec;

import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CheckoutSlotsTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static CheckoutSlots slots(int poolSize, int maxOverflow, Duration timeout) {
        return new CheckoutSlots(PoolSpec.builder("slots").poolSize(poolSize).maxOverflow(maxOverflow)
                .poolTimeout(timeout).build());
    }

    @Test
    void poolSizePlusOverflowSlotsAreTakenAtOnceAndOneMoreTimesOutWithTheQueuePoolMessage() throws Exception {
        Duration timeout = Duration.ofMillis(100);
        CheckoutSlots slots = slots(1, 1, timeout);
        assertThat(slots.take()).as("a free slot: not queued").isEqualTo(CheckoutSlots.NOT_QUEUED);
        assertThat(slots.take()).isEqualTo(CheckoutSlots.NOT_QUEUED);
        long start = System.nanoTime();
        assertThatThrownBy(slots::take).isInstanceOf(PoolTimeoutException.class)
                .hasMessage("[slots] QueuePool limit of size 1 overflow 1 reached, connection timed out, timeout 0.10");
        assertThat(System.nanoTime() - start).as("never early").isGreaterThanOrEqualTo(timeout.toNanos());
        slots.release();
        slots.take();
    }

    @Test
    void aWaitingCheckoutGetsTheSlotAReleaseFrees() throws Exception {
        CheckoutSlots slots = slots(1, 0, Duration.ofSeconds(20));
        slots.take();
        long before = System.nanoTime();
        Future<Long> waiting = threads.submit(slots::take);
        while (slots.waiting() == 0) {
            assertThat(waiting.isDone()).as("the second checkout waits").isFalse();
            Thread.onSpinWait();
        }
        slots.release();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).as("reported as queued, since when")
                .isNotEqualTo(CheckoutSlots.NOT_QUEUED).isGreaterThanOrEqualTo(before);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void threadsThatKeepTakingTheSlotBackCannotStarveAWaitingCheckout() throws Exception {
        CheckoutSlots slots = slots(1, 0, Duration.ofSeconds(3));
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch hammering = new CountDownLatch(8);
        List<Future<?>> hammers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            hammers.add(threads.submit(() -> {
                hammering.countDown();
                while (!stop.get()) {
                    slots.take();
                    busy(Duration.ofMillis(1)); // holds the slot, then takes it back at once
                    slots.release();
                }
                return null;
            }));
        }
        try {
            assertThat(hammering.await(5, TimeUnit.SECONDS)).isTrue();
            long longest = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                slots.take();
                longest = Math.max(longest, System.nanoTime() - start);
                slots.release();
            }
            // Waits are tens of milliseconds; with barging unbounded they reached seconds here.
            assertThat(Duration.ofNanos(longest)).as("longest wait among 8 threads re-taking the slot")
                    .isLessThan(Duration.ofSeconds(1));
        } finally {
            stop.set(true);
        }
        for (Future<?> h : hammers) {
            h.get(10, TimeUnit.SECONDS);
        }
    }

    private static void busy(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    @Test
    void unlimitedPoolsKeepNoSlots() throws SQLException {
        CheckoutSlots slots = slots(0, 0, Duration.ZERO);
        for (int i = 0; i < 1_000; i++) {
            slots.take();
        }
        slots.release();
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void anInterruptedWaitIsAnSqlExceptionAndKeepsTheInterruptStatus() throws Exception {
        CheckoutSlots slots = slots(1, 0, ChronoUnit.FOREVER.getDuration());
        slots.take();
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<Throwable> waiting = threads.submit(() -> {
            try {
                slots.take();
                return null;
            } catch (SQLException e) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.countDown();
                }
                return e;
            }
        });
        while (slots.waiting() == 0) {
            Thread.onSpinWait();
        }
        waiting.cancel(true);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("interrupt status kept").isTrue();
    }

    @Test
    void aTimeoutTooLongForNanosecondsWaitsWithoutBound() {
        assertThat(CheckoutSlots.saturatedNanos(ChronoUnit.FOREVER.getDuration())).isEqualTo(Long.MAX_VALUE);
        assertThat(CheckoutSlots.saturatedNanos(Duration.ofMillis(3))).isEqualTo(3_000_000L);
    }
}
