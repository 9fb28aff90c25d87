package dev.athanor;

import dev.athanor.internal.Arguments;
import dev.athanor.internal.Secrets;
import dev.athanor.internal.SqlLog;

import java.util.List;

/**
 * An engine's statement hooks — the {@code echo} log, the slow-query WARN and the {@link StatementListener}s — for
 * layers that run SQL on the engine's connections through their own statements (the MyBatis and Hibernate modules).
 * Such a layer reports each statement with {@link #start} and {@link #finish}, and listeners see it exactly as they
 * see the engine's own statements. The echo log then reads exactly like the engine's own lines, on
 * logger {@code dev.athanor.sql} at INFO — {@code [pool] SQL {name=value, …} (1.234 ms)}, with bound values cut at
 * 200 characters, every password the engine knows (URL, raw URL text, {@code password} connect arg) replaced by
 * {@code ***}, and values left out ({@code [parameters hidden]}) when the engine hides parameters.
 *
 * <p>Obtained from {@link Engine#sqlEcho()}. When nothing watches statements (no echo, no slow-query threshold, no
 * listener) {@link #enabled()} is false, so a layer can skip its own bookkeeping.
 *
 * <pre>{@code
 * SqlEcho echo = engine.sqlEcho();
 * StatementEvent s = echo.start(sql, List.of("id"), new Object[] {42});   // null when not enabled
 * try {
 *     int rows = statement.executeUpdate();
 *     echo.finish(s, rows, null);
 * } catch (SQLException e) {
 *     echo.finish(s, -1, e);
 *     throw e;
 * }
 * }</pre>
 */
public final class SqlEcho {
    private final String poolName;
    private final boolean echo;
    private final boolean hideParameters;
    private final Secrets secrets;
    private final StatementHooks hooks;

    SqlEcho(String poolName, boolean echo, boolean hideParameters, Secrets secrets, StatementHooks hooks) {
        this.poolName = poolName;
        this.echo = echo;
        this.hideParameters = hideParameters;
        this.secrets = secrets;
        this.hooks = hooks;
    }

    /**
     * Whether statements are watched now: the engine echoes (and {@code dev.athanor.sql} is at INFO), has a
     * slow-query threshold, or has statement listeners. Check it before timing statements or collecting their values.
     */
    public boolean enabled() {
        return hooks.active();
    }

    /**
     * A statement is about to run: fires {@link StatementListener#beforeStatement} and returns its event (null when
     * not {@link #enabled()}), to pass to {@link #finish} once it ran. With hidden parameters the values are not kept.
     */
    public StatementEvent start(String sql, List<String> names, Object[] values) {
        Arguments.notNull(sql, "sql");
        Arguments.notNull(names, "names");
        return hooks.start(sql, names, values == null ? new Object[0] : values, 0);
    }

    /** A batch of {@code rows} parameter sets is about to be sent; as {@link #start}. */
    public StatementEvent startBatch(String sql, int rows) {
        Arguments.notNull(sql, "sql");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, was " + rows);
        }
        return hooks.start(sql, List.of(), null, Math.max(rows, 1));
    }

    /**
     * The statement of {@code event} ran ({@code failure} null; {@code rowCount} rows changed or read, -1 unknown) or
     * failed: writes the echo line (success only), the slow-query WARN, and fires
     * {@link StatementListener#afterStatement}. A null event (not enabled at start) does nothing.
     */
    public void finish(StatementEvent event, long rowCount, Throwable failure) {
        hooks.finish(event, rowCount, failure);
    }

    /**
     * Writes the echo line of one executed statement (no listener is told: prefer {@link #start} and
     * {@link #finish}): {@code values[i]} is the value bound to {@code names.get(i)} (with hidden
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
