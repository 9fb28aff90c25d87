package dev.athanor.pool.dbcp;

import java.io.Writer;
import org.slf4j.Logger;

/**
 * Where commons-pool2 prints abandoned-connection reports ({@code logAbandoned}): one WARN line per report, prefixed
 * with the pool name, instead of {@code System.out}. pool2 flushes after each report.
 */
final class Slf4jWriter extends Writer {
    private final Logger log;
    private final String poolName;
    private final StringBuilder buffer = new StringBuilder();

    Slf4jWriter(Logger log, String poolName) {
        this.log = log;
        this.poolName = poolName;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        buffer.append(chars, offset, length);
    }

    @Override
    public synchronized void flush() {
        int end = buffer.length();
        while (end > 0 && Character.isWhitespace(buffer.charAt(end - 1))) {
            end--;
        }
        if (end > 0) {
            log.warn("[{}] {}", poolName, buffer.substring(0, end));
        }
        buffer.setLength(0);
    }

    @Override
    public void close() {
        flush();
    }
}
