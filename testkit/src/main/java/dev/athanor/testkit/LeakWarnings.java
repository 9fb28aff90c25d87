package dev.athanor.testkit;

import dev.athanor.testing.LogCapture;

import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The WARN lines one logger writes while this is open, for the leak rules. Reading log lines needs SLF4J bound to
 * Logback (as in Athanor's own builds); under another binding the rules check everything but the WARN line, and say
 * so in their messages.
 */
final class LeakWarnings implements AutoCloseable {
    private final String logger;
    private final LogCapture capture;

    private LeakWarnings(String logger, LogCapture capture) {
        this.logger = logger;
        this.capture = capture;
    }

    static LeakWarnings capture(String logger) {
        boolean logback = LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback");
        return new LeakWarnings(logger, logback ? LogCapture.of(logger) : null);
    }

    /** True once a WARN matching {@code message} was logged within {@code within}; true when logs cannot be read. */
    boolean await(Predicate<String> message, Duration within) {
        if (capture == null) {
            return true;
        }
        long deadline = System.nanoTime() + within.toNanos();
        return KitTime.poll(() -> capture.warnings().stream().anyMatch(message), Duration.ofNanos(deadline
                - System.nanoTime()));
    }

    String describe() {
        if (capture == null) {
            return "not checked: SLF4J is not bound to Logback, so the kit cannot read " + logger;
        }
        return "WARN lines seen: " + capture.warnings();
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
    }
}
