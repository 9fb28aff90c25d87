package dev.athanor;

import dev.athanor.internal.Secrets;
import dev.athanor.internal.SqlLog;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens around each statement of one engine: the echo log, the slow-query WARN and the
 * {@link StatementListener}s. Costs one check per statement when none of them is on.
 */
final class StatementHooks {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.sql");
    private static final StatementListener[] NONE = new StatementListener[0];

    private final String poolName;
    private final boolean echo;
    private final boolean hideParameters;
    private final Duration slowQueryThreshold;
    private final long slowNanos;
    private final Secrets secrets;
    private volatile StatementListener[] listeners = NONE;

    StatementHooks(String poolName, boolean echo, boolean hideParameters, Duration slowQueryThreshold,
                   Secrets secrets) {
        this.poolName = poolName;
        this.echo = echo;
        this.hideParameters = hideParameters;
        this.slowQueryThreshold = slowQueryThreshold;
        this.slowNanos = slowQueryThreshold == null ? 0L : slowQueryThreshold.toNanos();
        this.secrets = secrets;
    }

    /** Whether a statement must be timed and reported: echo is logging, a slow-query threshold or a listener is set. */
    boolean active() {
        return listeners.length > 0 || slowNanos > 0 || (echo && SqlLog.LOG.isInfoEnabled());
    }

    /** Starts a statement: null when nothing watches statements; else its event, after {@code beforeStatement}. */
    StatementEvent start(String sql, List<String> names, Object[] values, int batchSize) {
        if (!active()) {
            return null;
        }
        StatementEvent event = new StatementEvent(poolName, sql, names, hideParameters || batchSize > 0 ? null : values,
                hideParameters, batchSize, System.nanoTime());
        tell(event, true);
        return event;
    }

    /** Ends a statement started with {@link #start}: the echo line, the slow-query WARN, {@code afterStatement}. */
    void finish(StatementEvent event, long rowCount, Throwable failure) {
        if (event == null) {
            return;
        }
        event.finish(System.nanoTime(), failure == null ? rowCount : -1, failure);
        long elapsed = event.elapsedNanos();
        Object[] values = event.parameterValues().toArray();
        if (failure == null && echo) {
            if (event.batchSize() > 0) {
                SqlLog.batch(poolName, event.sql(), event.batchSize(), elapsed);
            } else {
                SqlLog.statement(poolName, event.sql(), event.parameterNames(), values, hideParameters, elapsed,
                        secrets);
            }
        }
        if (slowNanos > 0 && elapsed >= slowNanos) {
            SqlLog.slow(poolName, event.sql(), event.parameterNames(), values, hideParameters, event.batchSize(),
                    elapsed, slowQueryThreshold, failure != null, secrets);
        }
        tell(event, false);
    }

    /** Calls every listener's {@code beforeStatement} or {@code afterStatement}; an Error goes on after all of them. */
    private void tell(StatementEvent event, boolean before) {
        Error error = null;
        for (StatementListener l : listeners) {
            try {
                if (before) {
                    l.beforeStatement(event);
                } else {
                    l.afterStatement(event);
                }
            } catch (Exception e) {
                warn(before ? "beforeStatement" : "afterStatement", e);
            } catch (Error e) {
                error = e;
            }
        }
        if (error != null) {
            throw error;
        }
    }

    synchronized void add(StatementListener listener) {
        Objects.requireNonNull(listener, "listener");
        StatementListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = listener;
        listeners = next;
    }

    synchronized boolean remove(StatementListener listener) {
        List<StatementListener> current = new java.util.ArrayList<>(Arrays.asList(listeners));
        boolean removed = current.remove(listener);
        listeners = current.toArray(NONE);
        return removed;
    }

    private void warn(String event, Exception e) {
        LOG.warn("[{}] statement listener failed in {}; ignored", poolName, event, e);
    }
}
