package dev.athanor.mybatis;

import dev.athanor.SqlEcho;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;

/**
 * A prepared statement that logs its batches: MyBatis's batch executor sends them with {@code executeBatch()} after
 * its statement handler is done, so the echo log watches the statement itself. Everything else passes through.
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
                long start = System.nanoTime();
                Object counts = call(method, args);
                echo.batch(sql, rows, System.nanoTime() - start);
                rows = 0;
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

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
