package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineMariadbTest extends AbstractEngineTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    void insertReturningGivesItsRowsAsAResult() {
        engine.useTransaction(c -> {
            Result r = c.execute("INSERT INTO " + table + " (name, n) VALUES (:name, 1) RETURNING id, name",
                    Map.of("name", "ann"));
            assertThat(r.returnsRows()).isTrue();
            assertThat(r.one().get("name")).isEqualTo("ann");
        });
    }
}
