package dev.athanor.mybatis;

import dev.athanor.SqlEcho;
import dev.athanor.StatementEvent;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;

/**
 * A prepared statement that reports its batches to the engine's statement hooks: MyBatis's batch executor sends them
 * with {@code executeBatch()} after its statement handler is done, so the hooks watch the statement itself. Everything else passes through.
 */
final class BatchEcho implements InvocationHandler {
    private final PreparedStatement target;
    private final SqlEcho echo;
    private final String sql;
    private int rows;

    private BatchEcho(PreparedStatement target, SqlEcho echo, String sql) {
        this.target = target;
        this.echo = echo;
        this.sql = sql;
    }

    static PreparedStatement wrap(PreparedStatement statement, SqlEcho echo, String sql) {
        return (PreparedStatement) Proxy.newProxyInstance(BatchEcho.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, new BatchEcho(statement, echo, sql));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "addBatch":
                rows++;
                return call(method, args);
            case "clearBatch":
                rows = 0;
                return call(method, args);
            case "executeBatch":
            case "executeLargeBatch":
                StatementEvent event = echo.startBatch(sql, rows);
                rows = 0;
                Object counts;
                try {
                    counts = call(method, args);
                } catch (Throwable t) {
                    echo.finish(event, -1, t);
                    throw t;
                }
                echo.finish(event, changed(counts), null);
                return counts;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "BatchEcho[" + target + "]";
            default:
                return call(method, args);
        }
    }

    /** Rows a batch changed: the sum of its known counts ({@code int[]} or {@code long[]}). */
    private static long changed(Object counts) {
        long sum = 0;
        if (counts instanceof int[]) {
            for (int n : (int[]) counts) {
                sum += Math.max(n, 0);
            }
        } else if (counts instanceof long[]) {
            for (long n : (long[]) counts) {
                sum += Math.max(n, 0);
            }
        }
        return sum;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
