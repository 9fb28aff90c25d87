package dev.athanor.hibernate;

import dev.athanor.Session;
import dev.athanor.SqlEcho;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JDBC connection a Hibernate session is given: every call goes to the Athanor session's current connection of
 * one bind, asked for at each call (the session returns its connections at every commit and rollback and checks a new
 * one out for the next statement). The transaction is the Athanor session's: {@code commit}, {@code rollback},
 * {@code setAutoCommit}, savepoints and {@code close} are refused; {@code getAutoCommit} answers {@code false} without
 * checking a connection out, as Athanor transactions never auto-commit.
 */
final class SessionConnection implements InvocationHandler {
    private static final Set<String> REFUSED = Set.of("commit", "rollback", "setAutoCommit", "setSavepoint",
            "releaseSavepoint", "close", "abort", "setTransactionIsolation", "setReadOnly");

    private final Session session;
    /** The session's current connection of a bind, asked for as Hibernate (which flushes nothing). */
    private final Function<String, dev.athanor.Connection> current;
    private final String bind;
    private final String factoryName;
    /** Test hook: told of every method called on the connection (bind, method name); null in production. */
    private final BiConsumer<String, String> calls;
    /** The bind's statement hooks (its engine's echo, slow-query log and statement listeners). */
    private final SqlEcho echo;

    private SessionConnection(Session session, Function<String, dev.athanor.Connection> current, String bind,
                              String factoryName, BiConsumer<String, String> calls, SqlEcho echo) {
        this.session = session;
        this.current = current;
        this.bind = bind;
        this.factoryName = factoryName;
        this.calls = calls;
        this.echo = echo;
    }

    static Connection create(Session session, Function<String, dev.athanor.Connection> current, String bind,
                             String factoryName, BiConsumer<String, String> calls, SqlEcho echo) {
        return (Connection) Proxy.newProxyInstance(SessionConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new SessionConnection(session, current, bind, factoryName, calls, echo));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (calls != null) {
            calls.accept(bind, name);
        }
        switch (name) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "SessionConnection[" + bind + ", " + session + "]";
            case "getAutoCommit":
                return Boolean.FALSE;
            case "isClosed":
                return session.isClosed();
            default:
                break;
        }
        if (REFUSED.contains(name)) {
            throw new SQLException("[" + factoryName + "] Connection." + name + "() on the connection of bind '"
                    + bind + "' is refused: Athanor owns the transaction and the connection. Use the Athanor"
                    + " session's commit(), rollback(), beginNested() and close()");
        }
        Connection target = current.apply(bind).jdbc();
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (name.equals("prepareStatement") && echo.enabled()) {
            return StatementEcho.wrap((PreparedStatement) result, (String) args[0], echo);
        }
        return result;
    }
}
