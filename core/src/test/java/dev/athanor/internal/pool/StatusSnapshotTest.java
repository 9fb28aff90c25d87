package dev.athanor.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.PoolStatus;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusSnapshotTest {

    @Test
    void aCheckoutDuringTheIdleReadIsNotCountedTwice() {
        AtomicInteger checkedOut = new AtomicInteger(2);
        AtomicInteger idle = new AtomicInteger(2);
        AtomicInteger reads = new AtomicInteger();
        PoolStatus s = StatusSnapshot.queue(4, () -> {
            int seen = idle.get();
            if (reads.getAndIncrement() == 0) {
                // A checkout completes right after this read: idle 2 -> 1, then checked out 2 -> 3.
                idle.decrementAndGet();
                checkedOut.incrementAndGet();
            }
            return seen;
        }, checkedOut);
        assertThat(s.checkedIn()).isEqualTo(1);
        assertThat(s.checkedOut()).isEqualTo(3);
        assertThat(s.open()).isEqualTo(4);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aQuietPoolIsReadOnce() {
        AtomicInteger reads = new AtomicInteger();
        PoolStatus s = StatusSnapshot.queue(5, () -> {
            reads.incrementAndGet();
            return 3;
        }, new AtomicInteger(1));
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.checkedIn()).isEqualTo(3);
        assertThat(s.checkedOut()).isEqualTo(1);
        assertThat(reads).hasValue(1);
    }
}
