package dev.athanor.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A failed connect is remembered for the checkout that asked, and a native pool's retries do not reach the database
 * until it is taken.
 */
class ConnectFailuresTest {
    private final StubDatabase db = StubDatabase.fresh();
    private final ConnectFailures failures = new ConnectFailures(() -> DriverManager.getConnection(db.url()));

    @Test
    void aFailureIsTakenOnceByACheckoutThatBeganBeforeTheConnect() throws SQLException {
        long checkoutStart = System.nanoTime();
        db.failNextConnects(1);
        assertThatThrownBy(() -> failures.dataSource().getConnection()).isInstanceOf(SQLException.class);
        SQLException taken = failures.takeFailure(checkoutStart);
        assertThat((Object) taken).as("the failure of a connect begun after the checkout").isNotNull();
        assertThat(taken.getSQLState()).startsWith("08");
        assertThat((Object) failures.takeFailure(checkoutStart)).as("taken once").isNull();
    }

    @Test
    void retriesFailAtOnceWithoutReachingTheDatabaseUntilTheFailureIsTaken() throws SQLException {
        long checkoutStart = System.nanoTime();
        db.failNextConnects(1);
        assertThatThrownBy(() -> failures.dataSource().getConnection()).isInstanceOf(SQLException.class);
        int attempts = db.connectAttempts();
        assertThatThrownBy(() -> failures.dataSource().getConnection()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> failures.dataSource().getConnection()).isInstanceOf(SQLException.class);
        assertThat(db.connectAttempts()).as("retries while the failure waits").isEqualTo(attempts);
        assertThat((Object) failures.takeFailure(checkoutStart)).isNotNull();
        try (Connection c = failures.dataSource().getConnection()) {
            assertThat(c.isClosed()).isFalse();
        }
        assertThat(db.connectAttempts()).as("connects again once taken").isEqualTo(attempts + 1);
    }

    @Test
    void aFailureOlderThanTheCheckoutIsDroppedNotThrown() throws SQLException {
        db.failNextConnects(1);
        assertThatThrownBy(() -> failures.dataSource().getConnection()).isInstanceOf(SQLException.class);
        long laterCheckout = System.nanoTime();
        assertThat((Object) failures.takeFailure(laterCheckout)).as("another checkout's failure").isNull();
        try (Connection c = failures.dataSource().getConnection()) {
            assertThat(c.isClosed()).as("dropped, so the next connect reaches the database").isFalse();
        }
    }

    @Test
    void aConnectNoBorrowerWantsAnyMoreIsClosedAndNotRememberedAsAFailure() {
        AtomicBoolean wanted = new AtomicBoolean(true);
        ConnectFailures gated = new ConnectFailures(() -> {
            Connection c = DriverManager.getConnection(db.url());
            wanted.set(false); // the borrower was served by a returned connection while this connect ran
            return c;
        }, wanted::get);
        long checkoutStart = System.nanoTime();
        assertThatThrownBy(() -> gated.dataSource().getConnection()).isInstanceOf(SQLException.class)
                .hasMessageContaining("not a connect failure");
        assertThat(db.openNow()).as("what it opened is closed").isZero();
        assertThat((Object) gated.takeFailure(checkoutStart)).as("nothing to deliver").isNull();
    }
}
