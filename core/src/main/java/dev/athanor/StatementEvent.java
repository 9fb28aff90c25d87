package dev.athanor;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One statement as {@link StatementListener}s see it: the engine, the SQL as the caller wrote it, the names of its
 * bound parameters and — only when the engine does not hide parameters — their values; after it ran, how long it took
 * and how many rows it changed, or the exception it failed with (a {@link StatementException} whose message never
 * holds a password, nor values when parameters are hidden). A batch carries its number of parameter sets and no
 * values.
 */
public final class StatementEvent {
    private final String engineName;
    private final String sql;
    private final List<String> parameterNames;
    private final Object[] values;
    private final boolean parametersHidden;
    private final int batchSize;
    private final long startNanos;
    private long elapsedNanos = -1;
    private long rowCount = -1;
    private Throwable failure;

    StatementEvent(String engineName, String sql, List<String> parameterNames, Object[] values,
                   boolean parametersHidden, int batchSize, long startNanos) {
        this.engineName = engineName;
        this.sql = sql;
        this.parameterNames = parameterNames;
        this.values = values;
        this.parametersHidden = parametersHidden;
        this.batchSize = batchSize;
        this.startNanos = startNanos;
    }

    void finish(long endNanos, long rows, Throwable failed) {
        this.elapsedNanos = endNanos - startNanos;
        this.rowCount = rows;
        this.failure = failed;
    }

    long startNanos() {
        return startNanos;
    }

    /** The engine's name ({@link Engine#name()}). */
    public String engineName() {
        return engineName;
    }

    /** The SQL as given (named {@code :binds} as written, not the driver's {@code ?} form). */
    public String sql() {
        return sql;
    }

    /** The bound parameters' names ({@code ?1}, {@code ?2}, … for positional ones), in binding order. */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /**
     * The bound values in the order of {@link #parameterNames()}; empty when parameters are hidden
     * ({@link EngineBuilder#hideParameters}) and for batches.
     */
    public List<Object> parameterValues() {
        return values == null ? List.of() : Collections.unmodifiableList(Arrays.asList(values));
    }

    /** Whether the engine hides bound values (then {@link #parameterValues()} is empty). */
    public boolean parametersHidden() {
        return parametersHidden;
    }

    /** The number of parameter sets of a batch; 0 for a single statement. */
    public int batchSize() {
        return batchSize;
    }

    /** Nanoseconds the statement took; -1 before it finished ({@code beforeStatement}). */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** {@link #elapsedNanos()} as a duration; null before it finished. */
    public Duration elapsed() {
        return elapsedNanos < 0 ? null : Duration.ofNanos(elapsedNanos);
    }

    /**
     * Rows changed by an update, delete or insert (a batch: the sum), rows read by a query where the layer reads them
     * all at once (MyBatis); -1 when unknown (a query read through a cursor, a failure, before it finished).
     */
    public long rowCount() {
        return rowCount;
    }

    /** The exception the statement failed with; null when it succeeded or has not finished. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public String toString() {
        // No SQL here: a statement may carry a literal secret, and toString() ends up in logs unscrubbed.
        return "StatementEvent[" + engineName + (batchSize > 0 ? " [batch of " + batchSize + "]" : "")
                + (elapsedNanos < 0 ? "" : ", " + elapsedNanos + " ns") + (failure != null ? ", failed" : "") + "]";
    }
}
