package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Results left unread are closed when their connection commits, rolls back or closes, however many are open. */
class OpenResultsTest {

    @Test
    void everyUnreadResultIsClosedAtCommit() {
        try (Engine engine = Engine.builder(TestDatabase.H2.availableUrl()).build(); Connection c = engine.connect()) {
            Result first = c.execute("SELECT 1");
            Result second = c.execute("SELECT 2");
            Result third = c.execute("SELECT 3");
            assertThat(second.scalar(Integer.class)).isEqualTo(2);
            c.commit();
            assertThatThrownBy(first::all).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already read or closed");
            assertThatThrownBy(third::all).isInstanceOf(IllegalStateException.class);
            Result fourth = c.execute("SELECT 4");
            assertThat(c.execute("SELECT 5").scalar(Integer.class)).isEqualTo(5);
            assertThat(fourth.scalar(Integer.class)).isEqualTo(4);
        }
    }

    @Test
    void unreadResultsAreClosedWhenTheConnectionCloses() {
        try (Engine engine = Engine.builder(TestDatabase.H2.availableUrl()).build()) {
            Result a;
            Result b;
            try (Connection c = engine.connect()) {
                a = c.execute("SELECT 1");
                b = c.execute("SELECT 2");
            }
            assertThatThrownBy(a::first).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(b::first).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void lookupByNameIgnoresCaseAndPrefersAnExactMatch() {
        try (Engine engine = Engine.builder(TestDatabase.H2.availableUrl()).build(); Connection c = engine.connect()) {
            Row row = c.execute("SELECT 1 AS \"id\", 2 AS \"ID\", 3 AS \"Name\"").one();
            assertThat(row.get(0)).isEqualTo(1);
            assertThat(row.get("ID")).isEqualTo(2);
            assertThat(row.get("id")).isEqualTo(1);
            assertThat(row.get("name")).isEqualTo(3);
            assertThat(row.get("NAME", Long.class)).isEqualTo(3L);
            assertThatThrownBy(() -> row.get("missing")).hasMessageContaining("no column 'missing'");
        }
    }
}
