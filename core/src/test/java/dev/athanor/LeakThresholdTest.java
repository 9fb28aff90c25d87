package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.athanor.testing.LogCapture;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code leakThreshold}: a connection held too long is reported once with its checkout's stack, and on return. */
class LeakThresholdTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static List<ILoggingEvent> lines(LogCapture log, Level level) {
        return log.events().stream().filter(e -> e.getLevel() == level).collect(Collectors.toList());
    }

    private static boolean mentions(IThrowableProxy stack, String method) {
        return stack != null && Arrays.stream(stack.getStackTraceElementProxyArray())
                .map(StackTraceElementProxy::getStackTraceElement).anyMatch(e -> e.getMethodName().equals(method));
    }

    @Test
    void aConnectionHeldPastTheThresholdIsReportedOnceWithItsCheckoutStackAndAgainWhenItComesBack() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.pool").atLevel(Level.INFO);
             Engine e = Engine.builder("h2:mem:leak_threshold1").poolName("held").leakThreshold(Duration.ofMillis(50))
                     .build()) {
            Connection c = heldByThisMethod(e);
            assertThat(log.await(m -> m.contains("has not been returned"), WAIT)).isTrue();
            ILoggingEvent warn = lines(log, Level.WARN).get(0);
            assertThat(warn.getFormattedMessage()).startsWith("[held] a connection checked out on thread '"
                    + Thread.currentThread().getName() + "'").contains("leakThreshold PT0.05S");
            assertThat(mentions(warn.getThrowableProxy(), "heldByThisMethod")).as("the checkout's stack").isTrue();
            c.close();
            assertThat(lines(log, Level.INFO)).map(ILoggingEvent::getFormattedMessage)
                    .filteredOn(m -> m.contains("held too long")).singleElement().asString()
                    .startsWith("[held] the connection reported as held too long").contains("came back after");
            assertThat(lines(log, Level.WARN)).hasSize(1);
        }
    }

    private static Connection heldByThisMethod(Engine e) {
        return e.connect();
    }

    @Test
    void connectionsReturnedInTimeAreNeverReported() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.pool").atLevel(Level.INFO);
             Engine e = Engine.builder("h2:mem:leak_threshold2").poolName("quick").leakThreshold(Duration.ofMillis(200))
                     .build()) {
            for (int i = 0; i < 20; i++) {
                e.useConnection(c -> c.execute("SELECT 1").scalar());
            }
            // A connection held past the threshold is reported; the twenty returned before it were due earlier, so
            // had any of them not been cancelled its line would be there first.
            Connection late = e.connect();
            assertThat(log.await(m -> m.contains("has not been returned"), WAIT)).isTrue();
            late.close();
            assertThat(lines(log, Level.WARN)).hasSize(1);
        }
    }

    @Test
    void anInvalidatedConnectionEndsItsWatchToo() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.pool").atLevel(Level.INFO);
             Engine e = Engine.builder("h2:mem:leak_threshold3").leakThreshold(Duration.ofMillis(50)).build()) {
            Connection c = e.connect();
            assertThat(log.await(m -> m.contains("has not been returned"), WAIT)).isTrue();
            c.invalidate();
            assertThat(lines(log, Level.INFO)).anySatisfy(i -> assertThat(i.getFormattedMessage())
                    .contains("reported as held too long"));
        }
    }

    @Test
    void theThresholdMustBePositive() {
        assertThatThrownBy(() -> Engine.builder("h2:mem:x").leakThreshold(Duration.ZERO).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("leakThreshold must be positive (or null for off), was PT0S");
        assertThatThrownBy(() -> Engine.builder("h2:mem:x").slowQueryThreshold(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("slowQueryThreshold must be positive (or null for off), was PT-1S");
    }

    @Test
    void bothThresholdsAreReadFromConfiguration() throws Exception {
        try (LogCapture log = LogCapture.of("dev.athanor.pool").atLevel(Level.INFO);
             Engine e = Engine.fromConfig(java.util.Map.of("db.url", "h2:mem:leak_threshold4", "db.leak_threshold",
                     "50ms", "db.slowQueryThreshold", "1h"), "db.")) {
            Connection c = e.connect();
            assertThat(log.await(m -> m.contains("has not been returned"), WAIT)).isTrue();
            c.close();
        }
    }
}
