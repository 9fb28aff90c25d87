package dev.athanor.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Everything a test run writes: every SLF4J/Logback event at DEBUG and above (Athanor, HikariCP, DBCP, c3p0 through
 * MLog, the MariaDB driver), every {@code java.util.logging} record at FINE (DEBUG) and above (the PostgreSQL
 * driver), and
 * {@code System.out}/{@code System.err}. While capturing, the console appender is detached so DEBUG output does not
 * flood the build log; {@link #close()} restores every level, appender and stream.
 *
 * <pre>{@code
 * try (OutputCapture out = OutputCapture.start()) {
 *     ...
 *     assertThat(out.texts()).noneMatch(t -> t.contains(secret));
 * }
 * }</pre>
 */
final class OutputCapture implements AutoCloseable {
    private static final String[] LOGGERS = {Logger.ROOT_LOGGER_NAME, "dev.athanor", "com.zaxxer.hikari",
        "org.apache.commons.dbcp2", "org.apache.commons.pool2", "com.mchange", "org.mariadb.jdbc", "org.postgresql"};

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Map<String, Level> savedLevels = new java.util.HashMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final List<LogRecord> julRecords = Collections.synchronizedList(new ArrayList<>());
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Level savedJulLevel = julRoot.getLevel();
    private final Map<java.util.logging.Logger, java.util.logging.Level> savedJul = new IdentityHashMap<>();
    private final Handler julHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            julRecords.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final PrintStream savedOut = System.out;
    private final PrintStream savedErr = System.err;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private OutputCapture() {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        events.setContext(context);
        events.start();
        root.addAppender(events);
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            savedLevels.put(name, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        julRoot.setLevel(java.util.logging.Level.FINE); // DEBUG
        julRoot.addHandler(julHandler);
        for (String name : new String[] {"org.postgresql", "org.mariadb.jdbc", "com.mchange"}) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
            savedJul.put(jul, jul.getLevel());
            jul.setLevel(java.util.logging.Level.FINE);
        }
        System.setOut(new PrintStream(tee(savedOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(savedErr), true, StandardCharsets.UTF_8));
    }

    static OutputCapture start() {
        return new OutputCapture();
    }

    private OutputStream tee(PrintStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (console) {
                    console.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (console) {
                    console.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
    }

    /** Number of log events and records captured so far (to show the capture saw something). */
    int eventCount() {
        return events.list.size() + julRecords.size();
    }

    /** Every captured text: formatted log messages with their throwables (causes and suppressed), JUL, console. */
    List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (ILoggingEvent e : new ArrayList<>(events.list)) {
            texts.add(e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage());
            addProxy(texts, e.getThrowableProxy(), Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        synchronized (julRecords) {
            for (LogRecord r : julRecords) {
                String message = r.getMessage();
                Object[] params = r.getParameters();
                if (message != null && params != null) {
                    try {
                        message = java.text.MessageFormat.format(message, params);
                    } catch (IllegalArgumentException ignored) {
                        // keep the pattern; the parameters are checked below
                    }
                }
                texts.add(r.getLoggerName() + " " + r.getLevel() + " " + message);
                if (params != null) {
                    for (Object p : params) {
                        texts.add(String.valueOf(p));
                    }
                }
                if (r.getThrown() != null) {
                    texts.addAll(describe(r.getThrown()));
                }
            }
        }
        synchronized (console) {
            texts.add(console.toString(StandardCharsets.UTF_8));
        }
        return texts;
    }

    private static void addProxy(List<String> texts, IThrowableProxy p, Set<IThrowableProxy> seen) {
        if (p == null || !seen.add(p)) {
            return;
        }
        texts.add(p.getClassName() + ": " + p.getMessage());
        addProxy(texts, p.getCause(), seen);
        for (IThrowableProxy s : p.getSuppressed()) {
            addProxy(texts, s, seen);
        }
    }

    /**
     * Every text a throwable carries: message, {@code toString()} and the printed stack trace of it, its causes, its
     * suppressed exceptions and chained {@link SQLException}s.
     */
    static List<String> describe(Throwable t) {
        List<String> texts = new ArrayList<>();
        describe(t, texts, Collections.newSetFromMap(new IdentityHashMap<>()));
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        texts.add(trace.toString());
        return texts;
    }

    private static void describe(Throwable t, List<String> texts, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        texts.add(t.getMessage());
        texts.add(t.getLocalizedMessage());
        texts.add(t.toString());
        describe(t.getCause(), texts, seen);
        for (Throwable s : t.getSuppressed()) {
            describe(s, texts, seen);
        }
        if (t instanceof SQLException) {
            describe(((SQLException) t).getNextException(), texts, seen);
        }
    }

    @Override
    public void close() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(savedJulLevel);
        savedJul.forEach(java.util.logging.Logger::setLevel);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAppender(events);
        events.stop();
        detached.forEach(root::addAppender);
        savedLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
