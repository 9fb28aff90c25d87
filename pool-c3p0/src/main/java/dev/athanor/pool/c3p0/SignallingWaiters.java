package dev.athanor.pool.c3p0;

import com.mchange.v2.resourcepool.ResourcePool;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the place of a c3p0 resource pool's {@code otherWaiters} and {@code acquireWaiters}, the threads waiting on
 * the pool's condition (see {@link PoolGeneration}, points 4 and 5). Every removal happens under the pool's lock, and
 * this set then signals the condition, which c3p0 itself does not do when the helper thread failing the waiters
 * leaves {@code otherWaiters} right after lowering {@code force_kill_acquires}, nor when a checkout leaves
 * {@code acquireWaiters} with a connection while others still wait.
 */
final class SignallingWaiters extends HashSet<Object> {
    private static final long serialVersionUID = 1L;

    private final transient ReentrantLock lock;
    private final transient Condition changed;

    private SignallingWaiters(ReentrantLock lock, Condition changed) {
        this.lock = lock;
        this.changed = changed;
    }

    /** Puts a signalling set, holding the same threads, in place of the set in {@code waiters}. */
    static void install(ResourcePool rp, Field waiters, ReentrantLock lock, Condition changed)
            throws IllegalAccessException {
        lock.lock();
        try {
            Object current = waiters.get(rp);
            if (current instanceof SignallingWaiters) {
                return;
            }
            SignallingWaiters set = new SignallingWaiters(lock, changed);
            set.addAll((HashSet<?>) current);
            waiters.set(rp, set);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(Object o) {
        boolean removed = super.remove(o);
        if (removed && lock.isHeldByCurrentThread()) {
            changed.signalAll();
        }
        return removed;
    }
}
