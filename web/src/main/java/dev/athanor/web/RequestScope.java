package dev.athanor.web;

import dev.athanor.Session;
import dev.athanor.SessionScope;

/**
 * The {@link SessionScope} of a {@link RequestSessions}: the session of the request bound to the calling thread. A
 * thread is bound to a request only while the filter runs the request on it (or while a runnable from
 * {@link RequestSessions#propagate} or {@code AsyncContext.start} runs), never afterwards.
 */
final class RequestScope implements SessionScope {
    private final ThreadLocal<RequestState> current = new ThreadLocal<>();
    private final String name;

    RequestScope(String name) {
        this.name = name;
    }

    RequestState state() {
        RequestState state = current.get();
        if (state == null) {
            throw new IllegalStateException("[" + name + "] no request is bound to thread '"
                    + Thread.currentThread().getName() + "': use the request's session inside a request that went"
                    + " through SessionFilter, and on another thread through RequestSessions.propagate(...) or"
                    + " AsyncContext.start(...)");
        }
        return state;
    }

    /** Binds {@code state} to the calling thread; returns what was bound before, to give to {@link #restore}. */
    RequestState enter(RequestState state) {
        RequestState previous = current.get();
        current.set(state);
        return previous;
    }

    void restore(RequestState previous) {
        if (previous == null) {
            current.remove();
        } else {
            current.set(previous);
        }
    }

    boolean active() {
        return current.get() != null;
    }

    @Override
    public Session get() {
        return state().session();
    }

    @Override
    public void set(Session session) {
        state().bind(session);
    }

    @Override
    public void clear() {
        state().unbind();
    }

    @Override
    public String toString() {
        return "RequestScope[" + name + "]";
    }
}
