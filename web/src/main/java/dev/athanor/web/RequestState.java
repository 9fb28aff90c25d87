package dev.athanor.web;

import dev.athanor.Session;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's unit of work, kept as a request attribute: it belongs to the request, not to a thread, so a request
 * resumed on another thread finds the same session, and a thread that served the request carries nothing away.
 */
final class RequestState {
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;
    private final SessionResponse response;

    RequestState(SessionResponse response) {
        this.response = response;
    }

    /** The response the handler was given (null for a request that is not HTTP). */
    SessionResponse response() {
        return response;
    }

    Session session() {
        return session;
    }

    void bind(Session s) {
        if (ended.get()) {
            s.close();
            throw new IllegalStateException("this request has ended: its unit of work was already committed or"
                    + " rolled back, so no session can be opened for it any more");
        }
        session = s;
    }

    void unbind() {
        session = null;
    }

    boolean ended() {
        return ended.get();
    }

    /** Marks the request ended and hands over its session (null when it never used one); true only once. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    Session takeSession() {
        Session s = session;
        session = null;
        return s;
    }
}
