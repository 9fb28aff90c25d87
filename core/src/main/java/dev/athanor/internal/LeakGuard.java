package dev.athanor.internal;

import dev.athanor.LeakDetection;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Watches one session or connection for being garbage-collected while still open. The guard is itself the phantom
 * reference to the watched object and never references it otherwise — only what it takes to give its connections
 * back — so the watched object can become unreachable at all; closing it normally calls {@link #release()}, which
 * disarms the guard.
 *
 * <p>Cheap on the open/close path, which every session pays: one object per watch (no separate cleanup action or
 * cleanable, no {@code Instant}), and the armed guards are kept reachable in a few lists picked by thread, each with
 * its own lock, so threads opening sessions at once rarely meet. A released guard is unlinked and so becomes garbage
 * together with the object it watched, without the collector ever having to process it as a reference.
 */
public final class LeakGuard extends PhantomReference<Object> {
    private static final int STRIPES = 16;

    /** The armed guards, in a few doubly-linked lists; a list's sentinel is its lock. */
    private static final LeakGuard[] ARMED = new LeakGuard[STRIPES];

    private static final ReferenceQueue<Object> LEAKED = new ReferenceQueue<>();

    static {
        for (int i = 0; i < STRIPES; i++) {
            ARMED[i] = new LeakGuard();
        }
    }

    /** Starts the thread that handles leaks, on the first watch. */
    private static final class Detector {
        static {
            Thread t = new Thread(Detector::run, "athanor-leak-detector");
            t.setDaemon(true);
            t.start();
        }

        static void start() {
            // class initialisation did it
        }

        private static void run() {
            while (true) {
                try {
                    ((LeakGuard) LEAKED.remove()).leaked();
                } catch (InterruptedException e) {
                    // Nobody else interrupts this thread; keep watching.
                } catch (RuntimeException | Error e) {
                    // A failing logger must not end leak detection for the whole JVM.
                }
            }
        }
    }

    private final LeakGuard stripe;
    private final Logger log;
    private final String poolName;
    private final String what;
    private final String thread;
    private final long openedAt;
    private final Throwable openedHere;
    private final Runnable reclaim;
    /** Neighbours while armed; both null once released or reported. Guarded by {@link #stripe}. */
    private LeakGuard prev;
    private LeakGuard next;

    /** A list sentinel. */
    private LeakGuard() {
        super(null, null);
        this.stripe = this;
        this.log = null;
        this.poolName = null;
        this.what = null;
        this.thread = null;
        this.openedAt = 0L;
        this.openedHere = null;
        this.reclaim = null;
        this.prev = this;
        this.next = this;
    }

    private LeakGuard(Object watched, LeakDetection mode, Logger log, String poolName, String what, Runnable reclaim) {
        super(watched, LEAKED);
        Thread current = Thread.currentThread();
        this.stripe = ARMED[(int) current.getId() & (STRIPES - 1)];
        this.log = log;
        this.poolName = poolName;
        this.what = what;
        this.thread = current.getName();
        this.openedAt = System.currentTimeMillis();
        this.openedHere = mode == LeakDetection.WARN_WITH_STACK ? new Throwable(what + " opened here") : null;
        this.reclaim = reclaim;
        synchronized (stripe) {
            LeakGuard first = stripe.next;
            this.prev = stripe;
            this.next = first;
            first.prev = this;
            stripe.next = this;
        }
    }

    /**
     * Starts watching {@code watched}; null when {@code mode} is OFF. {@code reclaim} runs on the detector thread
     * after a leak and must not reference {@code watched}.
     */
    public static LeakGuard watch(Object watched, LeakDetection mode, Logger log, String poolName, String what,
                                  Runnable reclaim) {
        if (mode == null || mode == LeakDetection.OFF) {
            return null;
        }
        Detector.start();
        return new LeakGuard(watched, mode, log, poolName, what, reclaim);
    }

    /** The watched object was closed properly: nothing to report. Idempotent. */
    public void release() {
        unlink();
    }

    /** Takes this guard off its list; false when it was off already (released, or its leak is being handled). */
    private boolean unlink() {
        synchronized (stripe) {
            LeakGuard p = prev;
            if (p == null) {
                return false;
            }
            LeakGuard n = next;
            p.next = n;
            n.prev = p;
            prev = null;
            next = null;
            return true;
        }
    }

    /** On the detector thread, once the watched object was collected: reports the leak unless it was released. */
    private void leaked() {
        if (!unlink()) {
            return;
        }
        RuntimeException reclaimFailure = null;
        try {
            reclaim.run();
        } catch (RuntimeException e) {
            reclaimFailure = e;
        }
        String message = "[" + poolName + "] " + what + " opened on thread '" + thread + "' at "
                + Instant.ofEpochMilli(openedAt) + " was never closed (garbage-collected while open); "
                + (reclaimFailure == null ? "rolled back and returned its connection(s)"
                : "rolling back failed, the pool reset or discarded its connection(s): " + reclaimFailure.getMessage());
        if (openedHere != null) {
            log.warn(message, openedHere);
        } else {
            log.warn("{} (LeakDetection.WARN_WITH_STACK shows where it was opened)", message);
        }
    }
}
