package dev.athanor.mybatis;

import dev.athanor.AthanorException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;

/**
 * The {@link SqlSession} that a session's mappers run on (mybatis-spring's {@code SqlSessionTemplate} idea): every call
 * goes to the MyBatis session of the Athanor session's current transaction on one bind, opened on demand. The
 * transaction is the Athanor session's, so {@code commit}, {@code rollback} and {@code close} are refused.
 *
 * <p>Failures that are Athanor's (a pool timeout while checking the connection out, a closed session) reach the caller
 * as themselves rather than wrapped in MyBatis's {@link PersistenceException}.
 */
final class SqlSessionView implements InvocationHandler {
    private final DefaultMyBatisSession session;
    private final int bind;
    private final String bindName;
    private final Configuration configuration;

    private SqlSessionView(DefaultMyBatisSession session, int bind, String bindName, Configuration configuration) {
        this.session = session;
        this.bind = bind;
        this.bindName = bindName;
        this.configuration = configuration;
    }

    static SqlSession create(DefaultMyBatisSession session, int bind, String bindName, Configuration configuration) {
        return (SqlSession) Proxy.newProxyInstance(SqlSession.class.getClassLoader(), new Class<?>[] {SqlSession.class},
                new SqlSessionView(session, bind, bindName, configuration));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "commit":
            case "rollback":
            case "close":
                throw new UnsupportedOperationException("[" + bindName + "] " + method.getName() + "() is not"
                        + " allowed on a MyBatis session inside an Athanor session: the Athanor session owns the"
                        + " transaction; call " + (method.getName().equals("close") ? "close" : method.getName())
                        + "() on the MyBatisSession");
            case "getConfiguration":
                return configuration;
            case "getMapper":
                return session.mapper((Class<?>) args[0], bindName);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "SqlSession[" + bindName + " of " + session + "]";
            default:
                break;
        }
        SqlSession target = session.current(bind);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PersistenceException && isAthanors(cause.getCause())) {
                throw cause.getCause();
            }
            throw cause;
        }
    }

    private static boolean isAthanors(Throwable t) {
        return t instanceof AthanorException || t instanceof IllegalStateException;
    }
}
