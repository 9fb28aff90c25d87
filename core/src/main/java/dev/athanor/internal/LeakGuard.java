package dev.athanor.internal;

import dev.athanor.LeakDetection;

import java.lang.ref.Cleaner;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Watches one session or connection for being garbage-collected while still open. The cleanup action (this object)
 * never references the watched object — only what it takes to give its connections back — so the watched object
 * can become unreachable at all; closing it normally calls {@link #release()}, which disarms the action.
 */
public final class LeakGuard implements Runnable {
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "athanor-leak-detector");
            t.setDaemon(true);
            return t;
        });
    }

    private final Logger log;
    private final String poolName;
    private final String what;
    private final String thread;
    private final Instant openedAt;
    private final Throwable openedHere;
    private final Runnable reclaim;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean released;

    private LeakGuard(Object watched, LeakDetection mode, Logger log, String poolName, String what, Runnable reclaim) {
        this.log = log;
        this.poolName = poolName;
        this.what = what;
        this.thread = Thread.currentThread().getName();
        this.openedAt = Instant.now();
        this.openedHere = mode == LeakDetection.WARN_WITH_STACK ? new Throwable(what + " opened here") : null;
        this.reclaim = reclaim;
        this.cleanable = Holder.CLEANER.register(watched, this);
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
        return new LeakGuard(watched, mode, log, poolName, what, reclaim);
    }

    /** The watched object was closed properly: nothing to report. Idempotent. */
    public void release() {
        released = true;
        cleanable.clean();
    }

    /** Runs once: on {@link #release()} (does nothing) or after the watched object was collected (a leak). */
    @Override
    public void run() {
        if (released) {
            return;
        }
        RuntimeException reclaimFailure = null;
        try {
            reclaim.run();
        } catch (RuntimeException e) {
            reclaimFailure = e;
        }
        String message = "[" + poolName + "] " + what + " opened on thread '" + thread + "' at " + openedAt
                + " was never closed (garbage-collected while open); "
                + (reclaimFailure == null ? "rolled back and returned its connection(s)"
                : "rolling back failed, the pool reset or discarded its connection(s): " + reclaimFailure.getMessage());
        if (openedHere != null) {
            log.warn(message, openedHere);
        } else {
            log.warn("{} (LeakDetection.WARN_WITH_STACK shows where it was opened)", message);
        }
    }
}
