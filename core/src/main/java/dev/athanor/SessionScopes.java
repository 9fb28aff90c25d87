package dev.athanor;

import dev.athanor.internal.Arguments;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The built-in {@link SessionScope}s. */
final class SessionScopes {
    private SessionScopes() {
    }

    /** {@link SessionScope#threadLocal()}. */
    static final class ThreadLocalScope implements SessionScope {
        private final ThreadLocal<Session> current = new ThreadLocal<>();

        ThreadLocalScope() {
        }

        @Override
        public Session get() {
            return current.get();
        }

        @Override
        public void set(Session session) {
            current.set(session);
        }

        @Override
        public void clear() {
            current.remove();
        }

        @Override
        public String toString() {
            return "SessionScope.threadLocal()";
        }
    }

    /** {@link SessionScope#keyed(Supplier)}. */
    static final class KeyedScope implements SessionScope {
        private final Supplier<?> scopeKey;
        private final Map<Object, Session> sessions = new ConcurrentHashMap<>();

        KeyedScope(Supplier<?> scopeKey) {
            this.scopeKey = Arguments.notNull(scopeKey, "scopeKey");
        }

        private Object key() {
            Object key = scopeKey.get();
            if (key == null) {
                throw new IllegalStateException("no session scope is active: the scope key function returned null");
            }
            return key;
        }

        @Override
        public Session get() {
            return sessions.get(key());
        }

        @Override
        public void set(Session session) {
            sessions.put(key(), Arguments.notNull(session, "session"));
        }

        @Override
        public void clear() {
            sessions.remove(key());
        }

        @Override
        public String toString() {
            return "SessionScope.keyed(" + sessions.size() + " bound)";
        }
    }

    /**
     * The scope of one {@link ScopedSession#inScope} block on one thread: it holds at most one session and shadows
     * the configured scope while the block runs.
     */
    static final class ExplicitScope implements SessionScope {
        private Session session;

        @Override
        public Session get() {
            return session;
        }

        @Override
        public void set(Session session) {
            this.session = session;
        }

        @Override
        public void clear() {
            session = null;
        }

        @Override
        public String toString() {
            return "SessionScope[inScope block]";
        }
    }
}
