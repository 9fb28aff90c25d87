package dev.athanor;

import dev.athanor.SessionScopes.ExplicitScope;
import dev.athanor.internal.Arguments;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLAlchemy's {@code scoped_session}: a thread-safe registry handing out one {@link Session} per scope — per thread
 * with {@link #threadLocal}, per whatever a {@link SessionScope} says with {@link #of}. {@link #current()} opens the
 * scope's session on first use and returns the same one until {@link #remove()} closes and unbinds it; the proxies
 * ({@link #execute}, {@link #commit()}, {@link #rollback()}) act on {@link #current()}.
 *
 * <pre>{@code
 * ScopedSession<Session> db = ScopedSession.threadLocal(sessions);
 *
 * // the seed's Flask pattern: one session per request thread, removed at teardown
 * try {
 *     db.execute("INSERT INTO users(name) VALUES (:n)", Map.of("n", "ann"));
 *     db.current().execute("blogs", "INSERT INTO posts(title) VALUES (:t)", Map.of("t", "hi"));
 *     db.commit();
 * } finally {
 *     db.remove();            // close (rolling back what was not committed) and unbind this thread's session
 * }
 *
 * // on a thread pool or virtual threads: a scope that cannot leak into the next task
 * executor.submit(() -> db.inScope(() -> handle(request)));   // commit on success, rollback on error, close
 * }</pre>
 *
 * <h2>Thread pools and virtual threads</h2>
 * A thread-local session that is never removed stays bound to a pooled thread and is handed to the next task that
 * runs there. {@link #inScope} makes that impossible: it binds a fresh scope for the block (shadowing the configured
 * one, even for a thread-local registry), commits when the block returns, rolls back when it throws, and always
 * closes and unbinds, restoring what was bound before (blocks nest). It holds no lock, so it does not pin virtual
 * threads. A session still bound when its scope ends without a {@code remove()} — the thread of a thread-local scope
 * finished — is closed by the session leak detector, which logs it at WARN (see {@link LeakDetection}).
 *
 * @param <S> the type of session, {@link Session} or an extension's
 */
public final class ScopedSession<S extends Session> {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.session");

    private final SessionSource<S> source;
    private final SessionScope scope;
    /** The innermost {@link #inScope} block running on this thread, if any: it shadows {@link #scope}. */
    private final ThreadLocal<ExplicitScope> explicit = new ThreadLocal<>();

    private ScopedSession(SessionSource<S> source, SessionScope scope) {
        this.source = Arguments.notNull(source, "source");
        this.scope = Arguments.notNull(scope, "scope");
    }

    /** One session per thread, opened from {@code source}. */
    public static <S extends Session> ScopedSession<S> threadLocal(SessionSource<S> source) {
        return new ScopedSession<>(source, SessionScope.threadLocal());
    }

    /** One session per scope of {@code scope} (give each registry its own scope instance). */
    public static <S extends Session> ScopedSession<S> of(SessionSource<S> source, SessionScope scope) {
        return new ScopedSession<>(source, scope);
    }

    private SessionScope activeScope() {
        ExplicitScope block = explicit.get();
        return block != null ? block : scope;
    }

    /**
     * The caller's scope's session, opened on first use (and again after it was closed). The same object for the same
     * scope until {@link #remove()}.
     */
    @SuppressWarnings("unchecked") // only this registry binds sessions in its scope, and they come from source
    public S current() {
        SessionScope active = activeScope();
        Session s = active.get();
        if (s == null || s.isClosed()) {
            s = source.openSession();
            active.set(s);
        }
        return (S) s;
    }

    /** True when a session is bound (and open) in the caller's scope. */
    public boolean has() {
        Session s = activeScope().get();
        return s != null && !s.isClosed();
    }

    /**
     * Closes the caller's scope's session (rolling back what was not committed) and unbinds it; no other scope's
     * session is touched. A no-op when none is bound.
     */
    public void remove() {
        SessionScope active = activeScope();
        Session s = active.get();
        active.clear();
        if (s != null) {
            s.close();
        }
    }

    /** {@code current().execute(sql, params)}. */
    public Result execute(String sql, Map<String, ?> params) {
        return current().execute(sql, params);
    }

    /** {@code current().execute(sql, params)}. */
    public Result execute(String sql, Object... params) {
        return current().execute(sql, params);
    }

    /** {@code current().execute(bind, sql, params)}. */
    public Result execute(String bind, String sql, Map<String, ?> params) {
        return current().execute(bind, sql, params);
    }

    /** {@code current().commit()}. */
    public void commit() {
        current().commit();
    }

    /** {@code current().rollback()}. */
    public void rollback() {
        current().rollback();
    }

    /**
     * Runs {@code block} in a scope of its own: {@link #current()} inside it is a session for this block only. When
     * the block returns, that session (if it was used) commits; when it throws, it rolls back and the original
     * exception is rethrown (a rollback failure added as suppressed); either way it is closed and unbound, and the
     * scope seen before the block is back.
     */
    public <T, X extends Exception> T inScope(ScopeCallback<T, X> block) throws X {
        Arguments.notNull(block, "block");
        ExplicitScope outer = explicit.get();
        ExplicitScope mine = new ExplicitScope();
        explicit.set(mine);
        try {
            T result;
            try {
                result = block.call();
            } catch (Throwable t) {
                Transactions.rollbackQuietly(mine.get(), t);
                throw t;
            }
            Session s = mine.get();
            if (s != null && !s.isClosed()) {
                s.commit();
            }
            return result;
        } finally {
            if (outer != null) {
                explicit.set(outer);
            } else {
                explicit.remove();
            }
            closeAndUnbind(mine);
        }
    }

    /** {@link #inScope(ScopeCallback)} for a block without a result. */
    public <X extends Exception> void inScope(ScopeRunnable<X> block) throws X {
        Arguments.notNull(block, "block");
        inScope(() -> {
            block.run();
            return null;
        });
    }

    private void closeAndUnbind(ExplicitScope block) {
        Session s = block.get();
        block.clear();
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (RuntimeException e) {
            // A session's close() does not throw; an extension's might. The block's outcome is what matters.
            LOG.warn("[{}] closing the session of an inScope block failed: {}", source.name(), e.toString());
        }
    }

    /** Where sessions come from. */
    public SessionSource<S> source() {
        return source;
    }

    /** The configured scope (not the one of an {@link #inScope} block). */
    public SessionScope scope() {
        return scope;
    }

    @Override
    public String toString() {
        return "ScopedSession[" + source.name() + ", " + scope + "]";
    }

    /** A block run in a scope, returning a result; may throw {@code X}. */
    @FunctionalInterface
    public interface ScopeCallback<T, X extends Exception> {
        T call() throws X;
    }

    /** A block run in a scope; may throw {@code X}. */
    @FunctionalInterface
    public interface ScopeRunnable<X extends Exception> {
        void run() throws X;
    }
}
