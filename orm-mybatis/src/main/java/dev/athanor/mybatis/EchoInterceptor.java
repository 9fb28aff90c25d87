package dev.athanor.mybatis;

import dev.athanor.Engine;
import dev.athanor.SqlEcho;
import dev.athanor.StatementEvent;

import java.lang.reflect.InvocationTargetException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.ibatis.executor.statement.StatementHandler;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.mapping.ParameterMode;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.reflection.MetaObject;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ResultHandler;

/**
 * Reports the statements MyBatis runs on a bind to its engine's statement hooks ({@link SqlEcho}): the echo log (they
 * read like the engine's own: {@code [pool] SQL {name=value, …} (1.234 ms)}, values left out when the engine hides
 * parameters), the slow-query WARN and the engine's {@code StatementListener}s. The names are the mapper's parameter properties. Batches are
 * logged when they are sent, once per statement: {@code [pool] SQL [batch of 500] (12.345 ms)}.
 *
 * <p>The time of a query includes MyBatis's mapping of its rows. Registered before the user's plugins, so that it
 * wraps the statement handler innermost and times the statement rather than other plugins.
 */
@Intercepts({
        @Signature(type = StatementHandler.class, method = "prepare", args = {Connection.class, Integer.class}),
        @Signature(type = StatementHandler.class, method = "update", args = {Statement.class}),
        @Signature(type = StatementHandler.class, method = "query", args = {Statement.class, ResultHandler.class}),
        @Signature(type = StatementHandler.class, method = "queryCursor", args = {Statement.class})})
final class EchoInterceptor implements Interceptor {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final SqlEcho echo;
    private final boolean hideParameters;
    private final Configuration configuration;

    EchoInterceptor(Engine engine, Configuration configuration) {
        this.echo = engine.sqlEcho();
        this.hideParameters = engine.hideParameters();
        this.configuration = configuration;
    }

    /**
     * Wraps a statement handler only while the engine watches statements (echo, a slow-query threshold or a statement
     * listener): otherwise MyBatis runs it unwrapped, at no cost.
     */
    @Override
    public Object plugin(Object target) {
        return echo.enabled() ? Interceptor.super.plugin(target) : target;
    }

    @Override
    public Object intercept(Invocation invocation) throws Throwable {
        if (!echo.enabled()) {
            return invocation.proceed();
        }
        StatementHandler handler = (StatementHandler) invocation.getTarget();
        if (invocation.getMethod().getName().equals("prepare")) {
            Object statement = invocation.proceed();
            // Only batches are sent by the executor itself (executeBatch), past the handler: watch the statement.
            if (statement instanceof PreparedStatement && !(statement instanceof CallableStatement)) {
                return BatchEcho.wrap((PreparedStatement) statement, echo, oneLine(handler.getBoundSql()));
            }
            return statement;
        }
        BoundSql boundSql = handler.getBoundSql();
        List<String> names = new ArrayList<>(boundSql.getParameterMappings().size());
        Object[] values = parameters(boundSql, handler.getParameterHandler().getParameterObject(), names);
        StatementEvent event = echo.start(oneLine(boundSql), names, values);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            echo.finish(event, -1, t instanceof InvocationTargetException ? t.getCause() : t);
            throw t;
        }
        echo.finish(event, rows(result), null);
        return result;
    }

    /** Rows an update changed or a query read (MyBatis reads a query's rows at once); -1 for a cursor. */
    private static long rows(Object result) {
        if (result instanceof Integer) {
            return (Integer) result;
        }
        if (result instanceof List) {
            return ((List<?>) result).size();
        }
        return -1;
    }

    /** The bound values, found the way MyBatis's parameter handler finds them; their property names into names. */
    private Object[] parameters(BoundSql boundSql, Object parameter, List<String> names) {
        List<Object> values = hideParameters ? null : new ArrayList<>(boundSql.getParameterMappings().size());
        MetaObject meta = null;
        for (ParameterMapping mapping : boundSql.getParameterMappings()) {
            if (mapping.getMode() == ParameterMode.OUT) {
                continue;
            }
            String property = mapping.getProperty();
            names.add(property);
            if (values == null) {
                continue;
            }
            if (boundSql.hasAdditionalParameter(property)) {
                values.add(boundSql.getAdditionalParameter(property));
            } else if (parameter == null
                    || configuration.getTypeHandlerRegistry().hasTypeHandler(parameter.getClass())) {
                values.add(parameter);
            } else {
                if (meta == null) {
                    meta = configuration.newMetaObject(parameter);
                }
                values.add(meta.getValue(property));
            }
        }
        return values == null ? new Object[0] : values.toArray();
    }

    /** MyBatis SQL (often indented XML text) on one line, as the log shows it. */
    private static String oneLine(BoundSql boundSql) {
        return WHITESPACE.matcher(boundSql.getSql()).replaceAll(" ").trim();
    }
}
