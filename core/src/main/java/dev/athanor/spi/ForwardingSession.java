package dev.athanor.spi;

import dev.athanor.Connection;
import dev.athanor.IsolationLevel;
import dev.athanor.Result;
import dev.athanor.Session;
import dev.athanor.SessionSavepoint;
import dev.athanor.internal.Arguments;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link Session} that passes every call to another one, for extensions whose sessions add methods (the MyBatis
 * module's {@code MyBatisSession} adds {@code mapper(Class)}). Subclass it, add what the extension needs, and attach
 * the wrapper to the session it wraps with {@link Session#attribute(Class, Supplier)} so that
 * {@code session.unwrap(Wrapper.class)} finds it from the inner session (as listeners see it).
 *
 * <pre>{@code
 * final class MyBatisSessionImpl extends ForwardingSession implements MyBatisSession {
 *     MyBatisSessionImpl(Session session) { super(session); }
 *     public <M> M mapper(Class<M> type) { ... }
 * }
 * public MyBatisSession openSession() {
 *     Session s = sessions.openSession();
 *     return s.attribute(MyBatisSessionImpl.class, () -> new MyBatisSessionImpl(s));
 * }
 * }</pre>
 */
public abstract class ForwardingSession implements Session {
    private final Session delegate;

    protected ForwardingSession(Session delegate) {
        this.delegate = Arguments.notNull(delegate, "delegate");
    }

    /**
     * The innermost session under {@code session}: the session factory's own, with every forwarding layer (MyBatis,
     * Hibernate, …) taken off; {@code session} itself when it forwards nowhere.
     */
    public static Session innermost(Session session) {
        Session s = session;
        while (s instanceof ForwardingSession) {
            s = ((ForwardingSession) s).delegate;
        }
        return s;
    }

    /** The session every call goes to. */
    protected final Session delegate() {
        return delegate;
    }

    @Override
    public Result execute(String sql, Map<String, ?> params) {
        return delegate.execute(sql, params);
    }

    @Override
    public Result execute(String sql, Object... params) {
        return delegate.execute(sql, params);
    }

    @Override
    public Result execute(String bind, String sql, Map<String, ?> params) {
        return delegate.execute(bind, sql, params);
    }

    @Override
    public int[] executeMany(String sql, List<? extends Map<String, ?>> rows) {
        return delegate.executeMany(sql, rows);
    }

    @Override
    public Connection connection() {
        return delegate.connection();
    }

    @Override
    public Connection connection(String bind) {
        return delegate.connection(bind);
    }

    @Override
    public void commit() {
        delegate.commit();
    }

    @Override
    public void rollback() {
        delegate.rollback();
    }

    @Override
    public SessionSavepoint beginNested() {
        return delegate.beginNested();
    }

    @Override
    public Session isolationLevel(IsolationLevel level) {
        delegate.isolationLevel(level);
        return this;
    }

    @Override
    public Session readOnly(boolean readOnly) {
        delegate.readOnly(readOnly);
        return this;
    }

    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public List<String> bindNames() {
        return delegate.bindNames();
    }

    @Override
    public <T> T attribute(Class<T> key, Supplier<? extends T> ifAbsent) {
        return delegate.attribute(key, ifAbsent);
    }

    @Override
    public <T> Optional<T> attribute(Class<T> key) {
        return delegate.attribute(key);
    }

    /** This wrapper when it is a {@code type}, otherwise whatever the wrapped session unwraps to. */
    @Override
    public <T> T unwrap(Class<T> type) {
        Arguments.notNull(type, "type");
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
