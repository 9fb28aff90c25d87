package dev.athanor.internal.pool;

import dev.athanor.PoolStatus;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A {@link PoolStatus} from two counts kept in different places: the native pool's idle count and the adapter's
 * checked-out count. Read one after the other they can tear: idle read before a checkout and checked-out after it
 * count that connection twice, and the status shows more connections than the pool may open. The adapters move a
 * connection out of the idle count before counting it checked out, and back only after, so a snapshot whose
 * checked-out count did not change while the idle count was read never counts a connection twice (it may miss one
 * in transit).
 */
public final class StatusSnapshot {
    private static final int ATTEMPTS = 100;

    private StatusSnapshot() {
    }

    public static PoolStatus queue(int poolSize, IntSupplier idle, AtomicInteger checkedOut) {
        int out = checkedOut.get();
        int in = idle.getAsInt();
        for (int i = 0; i < ATTEMPTS; i++) {
            int again = checkedOut.get();
            if (again == out) {
                break;
            }
            out = again;
            in = idle.getAsInt();
        }
        return PoolStatus.queue(poolSize, Math.max(0, in), Math.max(0, out));
    }
}
