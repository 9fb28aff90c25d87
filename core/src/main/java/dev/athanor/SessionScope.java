package dev.athanor;

import java.util.function.Supplier;

/**
 * Where a {@link ScopedSession} keeps the session of the caller's current scope (SQLAlchemy's {@code scopefunc} with
 * its registry): {@link #get()} is the session bound in the caller's scope, {@link #set} binds one, {@link #clear()}
 * unbinds it — all for the caller's scope only. Give each {@code ScopedSession} its own scope instance.
 *
 * <pre>{@code
 * ScopedSession<Session> perThread = ScopedSession.of(sessions, SessionScope.threadLocal());
 * ScopedSession<Session> perRequest = ScopedSession.of(sessions, SessionScope.keyed(RequestContext::currentId));
 * }</pre>
 *
 * <p>Besides these, {@link ScopedSession#inScope} opens an explicit scope for the duration of a block, on top of
 * whatever scope is configured; that is the one to use on thread pools and virtual threads.
 */
public interface SessionScope {
    /** The session bound in the caller's scope, or null. */
    Session get();

    /** Binds {@code session} in the caller's scope. */
    void set(Session session);

    /** Unbinds the caller's scope's session (without closing it). */
    void clear();

    /**
     * One scope per thread. On a thread pool a session left bound (no {@code remove()}) is handed to the next task on
     * that thread: pair it with {@code remove()} in a {@code finally}, or use {@link ScopedSession#inScope}.
     */
    static SessionScope threadLocal() {
        return new SessionScopes.ThreadLocalScope();
    }

    /**
     * One scope per key returned by {@code scopeKey} (a request id, a task object), compared with {@code equals}.
     * The key must be non-null whenever the scoped session is used; a key never removed stays in the registry.
     */
    static SessionScope keyed(Supplier<?> scopeKey) {
        return new SessionScopes.KeyedScope(scopeKey);
    }
}
