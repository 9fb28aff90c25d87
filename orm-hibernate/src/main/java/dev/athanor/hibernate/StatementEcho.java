package dev.athanor.hibernate;

import dev.athanor.SqlEcho;
import dev.athanor.StatementEvent;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A prepared statement of a Hibernate session on a bind whose engine watches statements (echo, a slow-query threshold
 * or statement listeners): it reports each execution to the engine's {@link SqlEcho}; the echo log shows it in the
 * engine's own form, {@code [pool] SQL {?1=value, …} (1.234 ms)} (values
 * left out when the engine hides parameters), and each batch as
 * {@code [pool] SQL [batch of 50] (12.345 ms)}. Hibernate binds by position, so the values are named like the
 * engine's positional parameters. Everything else passes through.
 */
final class StatementEcho implements InvocationHandler {
    private final PreparedStatement target;
    private final String sql;
    private final SqlEcho echo;
    private final TreeMap<Integer, Object> values = new TreeMap<>();
    private int rows;

    private StatementEcho(PreparedStatement target, String sql, SqlEcho echo) {
        this.target = target;
        this.sql = sql;
        this.echo = echo;
    }

    static PreparedStatement wrap(PreparedStatement statement, String sql, SqlEcho echo) {
        return (PreparedStatement) Proxy.newProxyInstance(StatementEcho.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, new StatementEcho(statement, sql, echo));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "addBatch":
                rows++;
                values.clear();
                return call(method, args);
            case "clearBatch":
                rows = 0;
                return call(method, args);
            case "clearParameters":
                values.clear();
                return call(method, args);
            case "executeBatch":
            case "executeLargeBatch": {
                StatementEvent event = echo.startBatch(sql, rows);
                rows = 0;
                return finish(event, call(event, method, args));
            }
            case "execute":
            case "executeQuery":
            case "executeUpdate":
            case "executeLargeUpdate":
                if (args != null && args.length > 0) {
                    return call(method, args); // Statement's own execute(sql): not this prepared statement
                }
                List<String> names = new ArrayList<>(values.size());
                values.keySet().forEach(i -> names.add("?" + i));
                StatementEvent event = echo.start(sql, names, values.values().toArray());
                return finish(event, call(event, method, args));
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "StatementEcho[" + target + "]";
            default:
                if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer
                        && method.getParameterTypes()[0] == int.class) {
                    values.put((Integer) args[0], name.equals("setNull") ? null : args[1]);
                }
                return call(method, args);
        }
    }

    /** Calls the statement; a failure is reported to the hooks first. */
    private Object call(StatementEvent event, Method method, Object[] args) throws Throwable {
        try {
            return call(method, args);
        } catch (Throwable t) {
            echo.finish(event, -1, t);
            throw t;
        }
    }

    /** Reports a statement that ran: rows from an update count or the sum of a batch's counts, -1 for a query. */
    private Object finish(StatementEvent event, Object result) {
        long rows = -1;
        if (result instanceof Integer || result instanceof Long) {
            rows = ((Number) result).longValue();
        } else if (result instanceof int[]) {
            rows = 0;
            for (int n : (int[]) result) {
                rows += Math.max(n, 0);
            }
        } else if (result instanceof long[]) {
            rows = 0;
            for (long n : (long[]) result) {
                rows += Math.max(n, 0);
            }
        }
        echo.finish(event, rows, null);
        return result;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
