package dev.athanor.internal;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code echo} log: each statement with its duration at INFO on logger {@code dev.athanor.sql}, bound values only
 * when parameters are not hidden.
 */
public final class SqlLog {
    public static final Logger LOG = LoggerFactory.getLogger("dev.athanor.sql");
    private static final int MAX_VALUE_CHARS = 200;

    private SqlLog() {
    }

    /** Logs one executed statement. */
    public static void statement(String poolName, String sql, List<String> names, Object[] values,
                                 boolean hideParameters, long elapsedNanos, Secrets secrets) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String millis = String.format(java.util.Locale.ROOT, "%.3f", elapsedNanos / 1_000_000.0);
        if (names.isEmpty()) {
            LOG.info("[{}] {} ({} ms)", poolName, sql, millis);
        } else if (hideParameters) {
            LOG.info("[{}] {} [parameters hidden] ({} ms)", poolName, sql, millis);
        } else {
            LOG.info("[{}] {} {} ({} ms)", poolName, sql, secrets.scrub(renderValues(names, values)), millis);
        }
    }

    /** Logs a batch: the statement once, with the number of parameter sets. */
    public static void batch(String poolName, String sql, int rows, long elapsedNanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info("[{}] {} [batch of {}] ({} ms)", poolName, sql, rows,
                    String.format(java.util.Locale.ROOT, "%.3f", elapsedNanos / 1_000_000.0));
        }
    }

    /**
     * Logs a statement that took at least the engine's {@code slowQueryThreshold}, at WARN: values as in the echo log
     * (hidden when parameters are hidden, passwords scrubbed).
     */
    public static void slow(String poolName, String sql, List<String> names, Object[] values, boolean hideParameters,
                            int batchSize, long elapsedNanos, java.time.Duration threshold, boolean failed,
                            Secrets secrets) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        String what = batchSize > 0 ? "[batch of " + batchSize + "]"
                : names.isEmpty() ? "" : hideParameters ? "[parameters hidden]" : renderValues(names, values);
        LOG.warn("[{}] slow statement{} ({} ms, slowQueryThreshold {}): {} {}", poolName, failed ? " (failed)" : "",
                String.format(java.util.Locale.ROOT, "%.3f", elapsedNanos / 1_000_000.0), threshold,
                secrets.scrub(sql), secrets.scrub(what));
    }

    /** {@code {name=value, …}} with long values cut, for the echo log and error messages. */
    public static String renderValues(List<String> names, Object[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size() && i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            String v = String.valueOf(values[i]);
            if (v.length() > MAX_VALUE_CHARS) {
                v = v.substring(0, MAX_VALUE_CHARS) + "…(" + v.length() + " chars)";
            }
            sb.append(names.get(i)).append('=').append(v);
        }
        return sb.append('}').toString();
    }
}
