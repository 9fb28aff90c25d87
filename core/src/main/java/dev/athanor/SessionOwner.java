package dev.athanor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which thread is inside an operation on a session's connections. Sessions are single-threaded, but a session used
 * from two threads at once must not lose a connection (both threads checking one out for the same bind, one of them
 * never returned): each such operation claims the session with one compare-and-set and gives it up when done, and a
 * second thread arriving meanwhile gets an {@link IllegalStateException}. A call back into the session on the claiming
 * thread (a listener, a savepoint, a nested call) is not concurrent use. No lock and no ThreadLocal: handing a session
 * to another thread between operations stays free, on virtual threads too.
 */
final class SessionOwner {
    private static final VarHandle THREAD;

    static {
        try {
            THREAD = MethodHandles.lookup().findVarHandle(SessionOwner.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The thread inside an operation, or null; changed only through {@link #THREAD}. */
    @SuppressWarnings("unused")
    private volatile Thread thread;

    /**
     * Claims the session for the calling thread; false when that thread holds it already (a nested call), which then
     * must not {@link #exit} it.
     *
     * @throws IllegalStateException when another thread holds it
     */
    boolean enter(String sessionName) {
        Thread me = Thread.currentThread();
        Thread holder = (Thread) THREAD.compareAndExchange(this, null, me);
        if (holder == null) {
            return true;
        }
        if (holder == me) {
            return false;
        }
        throw new IllegalStateException("[" + sessionName + "] this session is in use by another thread (" + holder
                + ") at the same time as by " + me + "; a Session is for one thread at a time: open one per thread or"
                + " task (openSession(), ScopedSession), or hand it over only once the other thread is done with it");
    }

    /** Gives the session up if {@code entered} (what {@link #enter} returned). */
    void exit(boolean entered) {
        if (entered) {
            THREAD.setRelease(this, null);
        }
    }
}
