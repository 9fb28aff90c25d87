package dev.athanor.hibernate;

import dev.athanor.SqlEcho;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A prepared statement of a Hibernate session on a bind whose engine has {@code echo(true)}: it logs each execution
 * through the engine's {@link SqlEcho}, in the engine's own form, {@code [pool] SQL {?1=value, …} (1.234 ms)} (values
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
                long start = System.nanoTime();
                Object counts = call(method, args);
                echo.batch(sql, rows, System.nanoTime() - start);
                rows = 0;
                return counts;
            }
            case "execute":
            case "executeQuery":
            case "executeUpdate":
            case "executeLargeUpdate":
                if (args != null && args.length > 0) {
                    return call(method, args); // Statement's own execute(sql): not this prepared statement
                }
                long start = System.nanoTime();
                Object result = call(method, args);
                log(System.nanoTime() - start);
                return result;
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

    private void log(long elapsedNanos) {
        List<String> names = new ArrayList<>(values.size());
        values.keySet().forEach(i -> names.add("?" + i));
        echo.statement(sql, names, values.values().toArray(), elapsedNanos);
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
