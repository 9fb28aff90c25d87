package dev.athanor.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger (and its children) logs while open, readable from any thread. Close it to detach.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("dev.athanor.session")) {
 *     ...
 *     assertThat(log.warnings()).anyMatch(m -> m.contains("never closed"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level levelBefore;
    private final ConcurrentLinkedQueue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.levelBefore = logger.getLevel();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing {@code loggerName}'s events. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Also captures events down to {@code level} (the logger's level is put back on {@link #close()}). */
    public LogCapture atLevel(Level level) {
        logger.setLevel(level);
        return this;
    }

    /** Every captured event, oldest first. */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    /** The formatted messages of the captured WARN events. */
    public List<String> warnings() {
        return events.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.toList());
    }

    /** Waits (polling) until a captured event's formatted message matches; false after {@code timeout}. */
    public boolean await(Predicate<String> message, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (events.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(message)) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(levelBefore);
    }
}
