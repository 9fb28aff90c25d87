package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.internal.Errors;
import dev.athanor.internal.Secrets;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

    @Test
    void poolTimeoutUsesSqlAlchemysWordingWithThePoolName() {
        PoolTimeoutException e = new PoolTimeoutException("orders", 5, 10, Duration.ofSeconds(30), null);
        assertThat(e).hasMessage(
                "[orders] QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00");
        assertThat(new PoolTimeoutException("p", 2, 0, Duration.ofMillis(250), null).getMessage())
                .endsWith("limit of size 2 overflow 0 reached, connection timed out, timeout 0.25");
    }

    @ParameterizedTest
    @CsvSource({"08006, 0, true", "08001, 0, true", "57P01, 0, true", "70100, 1927, true", "HY000, 2013, true",
        "40001, 0, false", "42P01, 0, false", "23505, 0, false", "HY000, 1213, false"})
    void disconnectsAreRecognisedBySqlStateAndVendorCode(String state, int code, boolean disconnect) {
        assertThat(Errors.isDisconnect(new SQLException("x", state, code))).isEqualTo(disconnect);
    }

    @Test
    void connectionExceptionSubclassesAndWrappedCausesAreDisconnects() {
        assertThat(Errors.isDisconnect(new SQLNonTransientConnectionException("gone"))).isTrue();
        assertThat(Errors.isDisconnect(new SQLRecoverableException("gone"))).isTrue();
        SQLException wrapper = new SQLException("outer", "HY000");
        wrapper.initCause(new SQLException("inner", "08003"));
        assertThat(Errors.isDisconnect(wrapper)).isTrue();
    }

    @Test
    void statementErrorsCarryStateAndScrubThePassword() {
        SQLException driver = new SQLException("auth failed for Sekr1tPass", "28P01", 7);
        StatementException e = Errors.statement("p", "SELECT :a", List.of("a"), new Object[] {"Sekr1tPass"}, null,
                driver, Secrets.of("Sekr1tPass"), false);
        assertThat(e.sqlState()).isEqualTo("28P01");
        assertThat(e.errorCode()).isEqualTo(7);
        assertThat(e.getMessage()).startsWith("[p] ").contains("SQLState 28P01").doesNotContain("Sekr1tPass");
        assertThat(e).isNotInstanceOf(DisconnectionException.class);
    }

    @Test
    void aLostConnectionBecomesADisconnectionException() {
        StatementException e = Errors.statement("p", "SELECT 1", List.of(), new Object[0], null,
                new SQLException("terminating connection due to administrator command", "57P01"), Secrets.of(null),
                false);
        assertThat(e).isInstanceOf(DisconnectionException.class);
        assertThat(e.getMessage()).startsWith("[p] connection lost: terminating connection");
    }

    @Test
    void aWriteRefusedByAReadOnlyServerIsAFailoverUnlessTheTransactionWasMadeReadOnly() {
        SQLException standby = new SQLException("cannot execute INSERT in a read-only transaction", "25006");
        SQLException mariadbReadOnly = new SQLException("The MariaDB server is running with the --read-only option",
                "HY000", 1290);
        SQLException mariadbTx = new SQLException("Cannot execute statement in a READ ONLY transaction", "25006", 1792);
        for (SQLException refused : List.of(standby, mariadbReadOnly, mariadbTx)) {
            StatementException failover = Errors.statement("p", "INSERT", List.of(), new Object[0], null, refused,
                    Secrets.of(null), false);
            assertThat(failover).isInstanceOf(ReadOnlyServerException.class)
                    .isInstanceOf(DisconnectionException.class);
            assertThat(failover.getMessage()).startsWith("[p] server is read-only");
            StatementException mistake = Errors.statement("p", "INSERT", List.of(), new Object[0], null, refused,
                    Secrets.of(null), true);
            assertThat(mistake).isNotInstanceOf(DisconnectionException.class);
        }
        assertThat(Errors.isReadOnlyServer(new SQLException("duplicate key", "23505"))).isFalse();
    }

    @Test
    void aPasswordInTheDriverMessageIsScrubbedFromTheCauseToo() {
        SQLException driver = new SQLIntegrityConstraintViolationException("Duplicate entry 'Sekr1tPass'", "23000",
                1062);
        StatementException e = Errors.statement("p", "INSERT", List.of("?1"), new Object[] {"Sekr1tPass"}, null,
                driver, Secrets.of("Sekr1tPass"), false);
        assertThat(e.getCause()).isInstanceOf(SQLIntegrityConstraintViolationException.class)
                .hasMessageContaining(SQLIntegrityConstraintViolationException.class.getName())
                .hasMessageContaining("Duplicate entry '***'").hasMessageNotContaining("Sekr1tPass");
        assertThat(e.sqlState()).isEqualTo("23000");
        assertThat(e.errorCode()).isEqualTo(1062);
        assertThat(e.getCause().getStackTrace()).isEqualTo(driver.getStackTrace());
    }

    @Test
    void hiddenValuesAreRedactedFromTheMessageAndEveryCause() {
        SQLException next = new SQLException("batch entry 2 failed: (v)=(another-secret)", "23505");
        SQLException driver = new SQLException("Key (email)=(ann@example.com) already exists", "23505", 0,
                new IllegalStateException("while sending ann@example.com"));
        driver.setNextException(next);
        driver.addSuppressed(new RuntimeException("ann@example.com"));
        String longValue = "a-long-secret-value-that-the-server-cut-short-" + "x".repeat(40);
        SQLException cut = new SQLException("Duplicate entry '" + longValue.substring(0, 64) + "' for key", "23000");
        driver.getCause().initCause(cut);

        StatementException e = Errors.statement("p", "INSERT", List.of("?1", "?2", "?3"), null,
                List.of("ann@example.com", "another-secret", longValue), driver, Secrets.of(null), false);

        assertThat(e.getMessage()).contains("Key (email)=(***) already exists").contains("hidden")
                .doesNotContain("ann@example.com");
        List<String> texts = new java.util.ArrayList<>();
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        texts.add(trace.toString());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            texts.add(t.toString());
        }
        texts.add(((SQLException) e.getCause()).getNextException().toString());
        assertThat(texts).noneMatch(t -> t.contains("ann@example.com") || t.contains("another-secret")
                || t.contains(longValue.substring(0, 20)));
        assertThat(trace.toString()).contains("Key (email)=(***)", "while sending ***", "Duplicate entry '***'",
                IllegalStateException.class.getName());
        assertThat((Throwable) ((SQLException) e.getCause()).getNextException()).hasMessageContaining("(v)=(***)");
        assertThat(e.sqlState()).isEqualTo("23505");
    }

    @Test
    void aCauseWithNothingToHideIsKeptAsTheDriverThrewIt() {
        SQLException driver = new SQLException("syntax error at or near FROM", "42601");
        StatementException e = Errors.statement("p", "SELECT FROM", List.of("?1"), null, List.of("ann@example.com"),
                driver, Secrets.of("Sekr1tPass"), false);
        assertThat(e.getCause()).isSameAs(driver);
    }
}
