package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

class TransactionPoolingTest {

    @Test
    void everyOptionThatWouldBeASessionLevelSettingIsRefusedAtBuildInOneMessage() {
        assertThatThrownBy(() -> Engine.builder("postgresql://u:secret@h/db?currentSchema=app")
                .transactionPooling(true).isolationLevel(IsolationLevel.SERIALIZABLE)
                .connectArg("options", "-c search_path=app").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("isolationLevel SERIALIZABLE cannot be an engine default under"
                        + " transactionPooling")
                .hasMessageContaining("valid here: null or AUTOCOMMIT")
                .hasMessageContaining("driver property 'options' is a startup parameter PgBouncer refuses")
                .hasMessageContaining("driver property 'currentSchema'")
                .hasMessageNotContaining("secret");
    }

    @Test
    void transactionPoolingIsForPostgresqlOnly() {
        assertThatThrownBy(() -> Engine.builder("mariadb://root@h/db").transactionPooling(true).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("transactionPooling is for PostgreSQL")
                .hasMessageContaining("the URL's dialect is mariadb (valid: postgresql)");
    }

    @Test
    void anAutocommitEngineAndSessionLevelsAreAllowed() {
        try (Engine e = Engine.builder("postgresql://h/db").transactionPooling(true)
                .isolationLevel(IsolationLevel.AUTOCOMMIT).build()) {
            assertThat(e.transactionPooling()).isTrue();
        }
        try (Engine e = Engine.fromConfig(Map.of("a.url", "postgresql://h/db", "a.transaction_pooling", "true"),
                "a.")) {
            assertThat(e.transactionPooling()).isTrue();
        }
        try (Engine e = Engine.create("postgresql://h/db")) {
            assertThat(e.transactionPooling()).isFalse();
        }
    }

    @Test
    void pgjdbcPreparesNothingOnTheServerUnlessTheUserChoseAThreshold() {
        TestDatabase.POSTGRESQL.assumeAvailable();
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).transactionPooling(true).build()) {
            int threshold = prepareThreshold(e);
            assertThat(threshold).isZero();
        }
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).transactionPooling(true)
                .connectArg("prepareThreshold", "3").build()) {
            int threshold = prepareThreshold(e);
            assertThat(threshold).isEqualTo(3);
        }
    }

    private static int prepareThreshold(Engine e) {
        try (Connection c = e.connect()) {
            return c.jdbc().unwrap(PGConnection.class).getPrepareThreshold();
        } catch (java.sql.SQLException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void aCheckoutsSessionLevelIsolationIsRefusedUnderTransactionPoolingButAutocommitIsNot() {
        TestDatabase.POSTGRESQL.assumeAvailable();
        try (Engine e = Engine.builder(TestDatabase.POSTGRESQL.availableUrl()).transactionPooling(true).build();
             Connection c = e.connect()) {
            assertThatThrownBy(() -> c.isolationLevel(IsolationLevel.SERIALIZABLE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot set isolation level SERIALIZABLE for a checkout under"
                            + " transactionPooling")
                    .hasMessageContaining("Session.isolationLevel");
            c.isolationLevel(IsolationLevel.AUTOCOMMIT);
            assertThat(c.execute("SELECT 1").scalar(Integer.class)).isEqualTo(1);
        }
    }
}
