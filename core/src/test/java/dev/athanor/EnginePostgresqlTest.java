package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    void serverSideStreamingUsesTheFetchSize() throws SQLException {
        try (Connection c = engine.connect()) {
            c.fetchSize(10);
            try (Stream<Row> s = c.execute("SELECT g FROM generate_series(1, 5000) g").stream()) {
                Iterator<Row> rows = s.iterator();
                assertThat(rows.next().get(0, Integer.class)).isEqualTo(1);
                // With a fetch size (and auto-commit off) pgjdbc reads through a named portal, a server-side cursor
                // that stays open while rows remain; pg_cursors lists the session's portals.
                assertThat(namedPortals(c)).as("server-side cursors while 4,999 rows remain").hasSize(1);
                long n = 1;
                while (rows.hasNext()) {
                    rows.next();
                    n++;
                }
                assertThat(n).isEqualTo(5000);
            }
            c.fetchSize(0);
            try (Stream<Row> s = c.execute("SELECT g FROM generate_series(1, 5000) g").stream()) {
                assertThat(s.iterator().next().get(0, Integer.class)).isEqualTo(1);
                assertThat(namedPortals(c)).as("server-side cursors without a fetch size (all rows read at once)")
                        .isEmpty();
            }
        }
    }

    /** The named portals (server-side cursors) open in the connection's session. */
    private static List<String> namedPortals(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.jdbc().createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pg_cursors WHERE name <> ''")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
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
