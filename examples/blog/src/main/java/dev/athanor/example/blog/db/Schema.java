package dev.athanor.example.blog.db;

import dev.athanor.schema.Column;
import dev.athanor.schema.Index;
import dev.athanor.schema.MetaData;
import dev.athanor.schema.Type;

/** The tables of each database, defined in code (one {@link MetaData} per database) and created at start-up. */
public final class Schema {
    /** Longest post title the blogs table accepts. */
    public static final int TITLE_LENGTH = 200;

    private Schema() {
    }

    /** The users database: {@code users}. */
    public static MetaData users() {
        MetaData meta = new MetaData();
        meta.table("users",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("name", Type.varchar(100)).notNull(),
                Column.of("email", Type.varchar(200)).notNull().unique());
        return meta;
    }

    /** The blogs database: {@code posts}, whose {@code user_id} points into the other database. */
    public static MetaData blogs() {
        MetaData meta = new MetaData();
        meta.table("posts",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("user_id", Type.BIGINT).notNull(),
                Column.of("title", Type.varchar(TITLE_LENGTH)).notNull(),
                Column.of("body", Type.TEXT).notNull(),
                Index.on("user_id"));
        return meta;
    }
}
