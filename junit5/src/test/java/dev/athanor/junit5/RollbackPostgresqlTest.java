package dev.athanor.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL's DDL is transactional: a table made during a test is rolled back with it. */
class RollbackPostgresqlTest extends AbstractRollbackTest {
    private final String madeInTest = TestDatabase.uniqueName("rb_made_in_test");

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    void tablesMadeDuringTheTestAreRolledBack(Engine engine) {
        engine.useTransaction(c -> c.execute("CREATE TABLE " + madeInTest + " (id INT)"));
        engine.useTransaction(c -> c.execute("INSERT INTO " + madeInTest + " VALUES (1)"));
        assertThat(Tables.exists(url, madeInTest)).as("visible outside the test").isFalse();
    }

    @Test
    void aFailedTransactionIsRolledBackByCommitAsPostgresqlDoes(Engine engine) {
        try (Connection c = engine.connect()) {
            c.execute("INSERT INTO " + items + " (name) VALUES ('lost')");
            assertThatThrownBy(() -> c.execute("SELECT no_such_column FROM " + items));
            assertThatThrownBy(c::commit).hasStackTraceContaining("rolled back instead of committed");
        }
        engine.useConnection(c -> assertThat(Tables.count(c, items)).as("the connection works again").isZero());
    }

    @AfterAll
    void theTableIsGone() {
        assertThat(Tables.exists(url, madeInTest)).isFalse();
    }
}
