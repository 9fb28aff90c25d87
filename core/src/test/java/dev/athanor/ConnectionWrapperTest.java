package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.spi.support.DelegatingConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@code EngineBuilder.connectionWrapper}: every call of the engine goes through the wrapper; its failures close. */
class ConnectionWrapperTest {

    @Test
    void theWrapperSeesTheEnginesCallsOnAConnectionWithItsSettingsMade() {
        StubDatabase db = StubDatabase.fresh();
        List<String> seen = new CopyOnWriteArrayList<>();
        UnaryOperator<java.sql.Connection> wrapper = raw -> {
            try {
                seen.add("wrapped, autoCommit=" + raw.getAutoCommit());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Counting(raw, seen);
        };
        try (Engine engine = Engine.builder(db.url()).connectionWrapper(wrapper).build()) {
            engine.useTransaction(c -> c.execute("SELECT 1"));
            engine.useTransaction(c -> c.execute("SELECT 1"));
        }
        assertThat(seen).containsExactly("wrapped, autoCommit=false", "commit", "commit", "close");
        assertThat(db.commits()).isEqualTo(2);
        assertThat(db.openNow()).isZero();
    }

    @Test
    void aFailingWrapperClosesTheConnectionAndFailsTheCheckout() {
        StubDatabase db = StubDatabase.fresh();
        try (Engine engine = Engine.builder(db.url()).connectionWrapper(raw -> {
            throw new IllegalStateException("no wrapping today");
        }).build()) {
            assertThatThrownBy(engine::connect).hasStackTraceContaining("no wrapping today");
        }
        assertThat(db.opened()).isEqualTo(1);
        assertThat(db.openNow()).isZero();
    }

    @Test
    void aNullWrapperIsAConfigurationError() {
        assertThatThrownBy(() -> Engine.builder("h2:mem:wrapper").connectionWrapper(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connectionWrapper must not be null (UnaryOperator.identity() for none)");
    }

    private static final class Counting extends DelegatingConnection {
        private final List<String> seen;

        Counting(java.sql.Connection delegate, List<String> seen) {
            super(delegate);
            this.seen = seen;
        }

        @Override
        public void commit() throws SQLException {
            seen.add("commit");
            super.commit();
        }

        @Override
        public void close() throws SQLException {
            seen.add("close");
            delegate.close();
        }
    }
}
