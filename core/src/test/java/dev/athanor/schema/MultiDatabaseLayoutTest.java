package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.testing.TestDatabase;

import org.junit.jupiter.api.Test;

/** The seeds' layout: one engine and one MetaData per database, each created and reflected on its own. */
class MultiDatabaseLayoutTest {
    @Test
    void eachDatabaseHasItsOwnEngineAndMetaData() {
        MetaData usersMeta = new MetaData();
        usersMeta.table("users", Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("email", Type.varchar(100)).notNull().unique());
        MetaData blogsMeta = new MetaData();
        blogsMeta.table("posts", Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("author_email", Type.varchar(100)).notNull(), Index.on("author_email"));

        try (Engine usersDb = Engine.builder(TestDatabase.H2.availableUrl()).build(); Engine blogsDb = Engine.builder(TestDatabase.H2.availableUrl()).build()) {
            assertThat(usersMeta.createAll(usersDb)).hasSize(1);
            assertThat(blogsMeta.createAll(blogsDb)).hasSize(1);

            assertThat(MetaData.reflect(usersDb)).isEqualTo(usersMeta);
            assertThat(MetaData.reflect(blogsDb)).isEqualTo(blogsMeta);
            assertThat(usersMeta.dropAll(blogsDb)).as("users is not in the blogs database").isEmpty();
        }
    }
}
