package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnginePostgresqlTest extends AbstractEngineTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    void castsAndDollarQuotedBodiesAreLeftAlone() {
        String fn = TestDatabase.uniqueName("fn");
        engine.useTransaction(c -> {
            c.execute("CREATE FUNCTION " + fn + "(x int) RETURNS text LANGUAGE plpgsql AS $$\n"
                    + "DECLARE r text := 'v:' || x::text; BEGIN RETURN r; END $$");
            String out = c.execute("SELECT " + fn + "(:n::int) AS r, ':not_a_bind' AS s, $q$:nor$q$ AS t",
                    Map.of("n", "41")).one().get("r", String.class);
            assertThat(out).isEqualTo("v:41");
            c.execute("DROP FUNCTION " + fn + "(int)");
        });
    }

    @Test
    void serverSideStreamingUsesTheFetchSize() {
        engine.useConnection(c -> {
            c.fetchSize(10);
            long n = c.execute("SELECT g FROM generate_series(1, 5000) g").stream().count();
            assertThat(n).isEqualTo(5000);
        });
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
