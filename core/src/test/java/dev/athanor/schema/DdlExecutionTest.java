package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Dialect;
import dev.athanor.Engine;
import dev.athanor.StatementException;
import dev.athanor.testing.TestDatabase;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDL of the dialects that {@link DdlTest} checks only as text, executed: SQLite's on a SQLite file (xerial
 * driver), MySQL's on the MariaDB server (through the MariaDB driver with {@code permitMysqlScheme}, so the engine's
 * dialect is MYSQL). Tables are created with createAll, used, reflected and dropped with dropAll.
 */
class DdlExecutionTest {
    /** Three tables with every portable type, composite keys, foreign keys, defaults, indexes and a check. */
    private static MetaData model(String p, boolean withUuid) {
        MetaData meta = new MetaData();
        meta.table(p + "_users",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("name", Type.varchar(50)).notNull().defaultValue("n/a"),
                Column.of("email", Type.varchar(100)).notNull().unique(),
                Column.of("active", Type.BOOLEAN).notNull().defaultValue(true),
                Column.of("score", Type.INTEGER).defaultValue(0),
                Column.of("level", Type.SMALLINT).defaultValue(-1),
                Column.of("balance", Type.decimal(12, 2)).defaultValue(new BigDecimal("1.50")),
                Column.of("path", Type.varchar(50)).defaultValue("C:\\temp\\new"),
                Column.of("ratio", Type.DOUBLE),
                Column.of("born", Type.DATE),
                Column.of("created_at", Type.TIMESTAMP).notNull().defaultExpression("CURRENT_TIMESTAMP"),
                Column.of("bio", Type.TEXT),
                Column.of("avatar", Type.BLOB),
                Column.of("prefs", Type.JSON),
                CheckConstraint.of("score >= 0"));
        if (withUuid) {
            meta.table(p + "_tokens", Column.of("token", Type.UUID).primaryKey());
        }
        meta.table(p + "_orders",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("user_id", Type.BIGINT).notNull().references(p + "_users.id")
                        .onDelete(ReferentialAction.CASCADE),
                Column.of("note", Type.varchar(200)),
                Index.on("note"));
        meta.table(p + "_lines",
                Column.of("order_id", Type.BIGINT),
                Column.of("line_no", Type.INTEGER),
                Column.of("sku", Type.varchar(20)).notNull(),
                PrimaryKey.of("order_id", "line_no"),
                ForeignKey.of("order_id", p + "_orders.id").onDelete(ReferentialAction.CASCADE),
                UniqueConstraint.of("order_id", "sku"),
                Index.on("sku", "line_no"));
        return meta;
    }

    /** Inserts through every table and checks defaults, the check constraint and the cascade. */
    private static void use(Engine engine, String p) {
        engine.useTransaction(c -> {
            c.execute("INSERT INTO " + p + "_users (email) VALUES (:e)", Map.of("e", "a@x"));
            long id = c.execute("SELECT id FROM " + p + "_users").scalar(Long.class);
            c.execute("INSERT INTO " + p + "_orders (user_id) VALUES (?)", id);
            long order = c.execute("SELECT id FROM " + p + "_orders").scalar(Long.class);
            c.execute("INSERT INTO " + p + "_lines (order_id, line_no, sku) VALUES (?, 1, 'x')", order);
        });
        engine.useConnection(c -> {
            var row = c.execute("SELECT name, score, path, created_at FROM " + p + "_users").one();
            assertThat(row.get("name")).isEqualTo("n/a");
            assertThat(row.get("score", Integer.class)).isZero();
            assertThat(row.get("path")).isEqualTo("C:\\temp\\new");
            assertThat(row.get("created_at")).isNotNull();
        });
        engine.useConnection(c -> assertThatThrownBy(
                () -> c.execute("INSERT INTO " + p + "_users (email, score) VALUES ('b@x', -5)"))
                .as("the check constraint was created").isInstanceOf(StatementException.class));
        engine.useTransaction(c -> c.execute("DELETE FROM " + p + "_orders"));
        long lines = engine.withConnection(c -> c.execute("SELECT count(*) FROM " + p + "_lines").scalar(Long.class));
        assertThat(lines).as("ON DELETE CASCADE").isZero();
    }

    @Test
    void sqliteDdlRunsOnSqlite(@TempDir Path dir) {
        String p = "sq";
        MetaData meta = model(p, true);
        // SQLite enforces foreign keys only when asked, per connection: the xerial driver's foreign_keys property.
        try (Engine engine = Engine.builder("sqlite:///" + dir.resolve("ddl.db")).connectArg("foreign_keys", "true")
                .build()) {
            assertThat(engine.dialect()).isEqualTo(Dialect.SQLITE);
            assertThat(meta.createAll(engine)).hasSize(4);
            assertThat(meta.createAll(engine)).as("IF NOT EXISTS / existing tables left alone").isEmpty();
            use(engine, p);

            MetaData reflected = MetaData.reflect(engine, name -> name.startsWith(p + "_"));
            assertThat(reflected.tables()).extracting(Table::name)
                    .containsExactlyInAnyOrder(p + "_users", p + "_tokens", p + "_orders", p + "_lines");
            for (Table t : meta.tables()) {
                Table r = reflected.find(t.name()).orElseThrow();
                assertThat(r.columns()).extracting(Column::name).as(t.name())
                        .containsExactlyElementsOf(t.columns().stream().map(Column::name).toList());
                assertThat(r.primaryKey().map(PrimaryKey::columns)).as(t.name())
                        .isEqualTo(t.primaryKey().map(PrimaryKey::columns));
                assertThat(r.foreignKeys()).extracting(ForeignKey::columns).as(t.name())
                        .containsExactlyInAnyOrderElementsOf(t.foreignKeys().stream().map(ForeignKey::columns)
                                .toList());
            }

            assertThat(meta.dropAll(engine)).hasSize(4);
            assertThat(MetaData.reflect(engine, name -> name.startsWith(p + "_")).tables()).isEmpty();
        }
    }

    @Test
    void mysqlDdlRunsOnMariadb() {
        TestDatabase.MARIADB.assumeAvailable();
        String p = TestDatabase.uniqueName("my");
        String url = TestDatabase.MARIADB.url().replaceFirst("^mariadb://([^@]*)@", "jdbc:mysql://")
                + "?user=root&permitMysqlScheme";
        MetaData meta = model(p, false);
        try (Engine engine = Engine.builder(url).build()) {
            assertThat(engine.dialect()).as("the MySQL dialect writes the DDL").isEqualTo(Dialect.MYSQL);
            try {
                assertThat(meta.createAll(engine)).hasSize(3);
                use(engine, p);
                for (Table t : meta.tables()) {
                    assertThat(Table.reflect(engine, t.name())).isEqualTo(t.withoutChecks());
                }
                MetaData uuid = new MetaData();
                Table tokens = uuid.table(p + "_tokens", Column.of("token", Type.UUID).primaryKey());
                uuid.createAll(engine);
                assertThat(Table.reflect(engine, tokens.name()).column("token").orElseThrow().type())
                        .as("MySQL has no UUID type: CHAR(36)").isEqualTo(Type.opaque("CHAR(36)"));
                assertThat(uuid.dropAll(engine)).hasSize(1);
            } finally {
                assertThat(meta.dropAll(engine)).hasSize(3);
            }
            assertThat(MetaData.reflect(engine, name -> name.startsWith(p + "_")).tables()).isEmpty();
        }
    }
}
