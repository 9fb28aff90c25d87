package dev.athanor;

import dev.athanor.internal.Arguments;
import dev.athanor.internal.Secrets;
import dev.athanor.internal.SqlLog;

import java.util.List;

/**
 * An engine's {@code echo} log, for layers that run SQL on the engine's connections through their own statements (the
 * MyBatis and Hibernate modules): they log each statement here and it reads exactly like the engine's own lines, on
 * logger {@code dev.athanor.sql} at INFO — {@code [pool] SQL {name=value, …} (1.234 ms)}, with bound values cut at
 * 200 characters, every password the engine knows (URL, raw URL text, {@code password} connect arg) replaced by
 * {@code ***}, and values left out ({@code [parameters hidden]}) when the engine hides parameters.
 *
 * <p>Obtained from {@link Engine#sqlEcho()}. When the engine does not echo, nothing is logged and {@link #enabled()}
 * is false, so a layer can skip its own bookkeeping.
 *
 * <pre>{@code
 * SqlEcho echo = engine.sqlEcho();
 * long start = System.nanoTime();
 * statement.execute();
 * echo.statement(sql, List.of("id"), new Object[] {42}, System.nanoTime() - start);
 * }</pre>
 */
public final class SqlEcho {
    private final String poolName;
    private final boolean echo;
    private final boolean hideParameters;
    private final Secrets secrets;

    SqlEcho(String poolName, boolean echo, boolean hideParameters, Secrets secrets) {
        this.poolName = poolName;
        this.echo = echo;
        this.hideParameters = hideParameters;
        this.secrets = secrets;
    }

    /**
     * Whether a statement logged now would be written: the engine echoes and {@code dev.athanor.sql} is at INFO.
     * Check it before timing statements or collecting their values.
     */
    public boolean enabled() {
        return echo && SqlLog.LOG.isInfoEnabled();
    }

    /**
     * Logs one executed statement: {@code values[i]} is the value bound to {@code names.get(i)} (with hidden
     * parameters the values are not read and may be empty or null). {@code sql} is logged as given.
     */
    public void statement(String sql, List<String> names, Object[] values, long elapsedNanos) {
        Arguments.notNull(sql, "sql");
        Arguments.notNull(names, "names");
        if (echo) {
            SqlLog.statement(poolName, sql, names, values == null ? new Object[0] : values, hideParameters,
                    elapsedNanos, secrets);
        }
    }

    /** Logs a batch once, with the number of parameter sets it sent: {@code [pool] SQL [batch of 500] (12.345 ms)}. */
    public void batch(String sql, int rows, long elapsedNanos) {
        Arguments.notNull(sql, "sql");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, was " + rows);
        }
        if (echo) {
            SqlLog.batch(poolName, sql, rows, elapsedNanos);
        }
    }

    @Override
    public String toString() {
        return "SqlEcho[" + poolName + (echo ? (hideParameters ? ", parameters hidden]" : "]") : ", off]");
    }
}
