package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value model: equality, canonical forms, and the single-column shortcuts matching table-level constraints. */
class ModelTest {
    @Test
    void typesCompareByValue() {
        assertThat(Type.varchar(50)).isEqualTo(Type.varchar(50)).isNotEqualTo(Type.varchar(51));
        assertThat(Type.decimal(10, 2)).isEqualTo(Type.decimal(10, 2)).isNotEqualTo(Type.decimal(10, 3));
        assertThat(Type.timestamp(true)).isSameAs(Type.TIMESTAMP_TZ).isNotEqualTo(Type.TIMESTAMP);
        assertThat(Type.opaque("INET")).isEqualTo(Type.opaque("inet")).hasSameHashCodeAs(Type.opaque("inet"));
        assertThat(Type.opaque("inet")).isNotEqualTo(Type.TEXT);
        assertThat(Type.decimal(10, 2)).hasToString("DECIMAL(10,2)");
        assertThat(Type.TIMESTAMP_TZ).hasToString("TIMESTAMP WITH TIME ZONE");
        assertThat(Type.BIGINT.isInteger()).isTrue();
        assertThat(Type.DOUBLE.isInteger()).isFalse();
    }

    @Test
    void columnsAreImmutable() {
        Column base = Column.of("name", Type.varchar(10));
        Column required = base.notNull();
        assertThat(base.isNotNull()).isFalse();
        assertThat(required.isNotNull()).isTrue();
        assertThat(required).isNotEqualTo(base).isEqualTo(Column.of("name", Type.varchar(10)).notNull());
        assertThat(required.nullable()).isEqualTo(base);
    }

    @Test
    void literalDefaultsAreWrittenAsSql() {
        assertThat(Column.of("s", Type.TEXT).defaultValue("it's").defaultSql()).isEqualTo("'it''s'");
        assertThat(Column.of("b", Type.BOOLEAN).defaultValue(false).defaultSql()).isEqualTo("FALSE");
        assertThat(Column.of("n", Type.INTEGER).defaultValue(42).defaultSql()).isEqualTo("42");
        assertThat(Column.of("d", Type.decimal(5, 2)).defaultValue(new BigDecimal("1.50")).defaultSql())
                .isEqualTo("1.5");
        assertThat(Column.of("n", Type.INTEGER).defaultValue(42).defaultValue(null).defaultSql()).isNull();
    }

    @Test
    void defaultsAreCanonicalSoThatReflectedOnesCompareEqual() {
        assertThat(Defaults.canonical("now()", Type.TIMESTAMP)).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(Defaults.canonical("current_timestamp(6)", Type.TIMESTAMP)).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(Defaults.canonical("curdate()", Type.DATE)).isEqualTo("CURRENT_DATE");
        assertThat(Defaults.canonical("1", Type.BOOLEAN)).isEqualTo("TRUE");
        assertThat(Defaults.canonical("'f'", Type.BOOLEAN)).isEqualTo("FALSE");
        assertThat(Defaults.canonical("'-1'", Type.SMALLINT)).isEqualTo("-1");
        assertThat(Defaults.canonical("((0))", Type.INTEGER)).isEqualTo("0");
        assertThat(Defaults.canonical("0.000", Type.decimal(5, 3))).isEqualTo("0");
        assertThat(Defaults.canonical("NULL", Type.TEXT)).isNull();
        assertThat(Defaults.canonical("'1'", Type.TEXT)).as("a string stays a string").isEqualTo("'1'");
        assertThat(Defaults.canonical("(a) + (b)", Type.INTEGER)).isEqualTo("(a) + (b)");
    }

    @Test
    void postgresqlCastsAreRemovedFromReflectedDefaults() {
        PostgresSchemaDialect pg = new PostgresSchemaDialect();
        assertThat(pg.reflectDefault("'ann'::character varying")).isEqualTo("'ann'");
        assertThat(pg.reflectDefault("'-1'::integer")).isEqualTo("'-1'");
        assertThat(pg.reflectDefault("('{}'::jsonb)")).isEqualTo("'{}'");
        assertThat(pg.reflectDefault("'a::b'")).isEqualTo("'a::b'");
        assertThat(pg.reflectDefault("'x'::character varying(20)")).isEqualTo("'x'");
    }

    @Test
    void shortcutsAndTableLevelConstraintsMakeTheSameTable() {
        Table shortcuts = Table.of("t",
                Column.of("id", Type.BIGINT).primaryKey(),
                Column.of("email", Type.varchar(50)).unique(),
                Column.of("user_id", Type.BIGINT).references("users.id").onDelete(ReferentialAction.CASCADE));
        Table explicit = Table.of("t",
                Column.of("id", Type.BIGINT),
                Column.of("email", Type.varchar(50)),
                Column.of("user_id", Type.BIGINT),
                UniqueConstraint.of("email").named("uq_email"),
                ForeignKey.of("user_id", "users.id").onDelete(ReferentialAction.CASCADE).named("fk_user"),
                PrimaryKey.of("id").named("pk_t"));
        assertThat(explicit).isEqualTo(shortcuts).hasSameHashCodeAs(shortcuts);
        Column id = explicit.column("ID").orElseThrow();
        assertThat(id.isPrimaryKey()).isTrue();
        assertThat(id.isNotNull()).as("primary-key columns are NOT NULL").isTrue();
        assertThat(explicit.column("email").orElseThrow().isUnique()).isTrue();
        assertThat(explicit.column("user_id").orElseThrow().reference()).isEqualTo("users.id");
        assertThat(explicit.uniqueConstraints()).extracting(UniqueConstraint::name).containsExactly("uq_email");
    }

    @Test
    void tablesDifferWhenAnythingButConstraintNamesDiffers() {
        Table t = Table.of("t", Column.of("id", Type.INTEGER).primaryKey(), Column.of("v", Type.INTEGER),
                Index.on("v"));
        assertThat(t).isEqualTo(Table.of("t", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("v", Type.INTEGER), Index.of("ix_t_v", "v")));
        assertThat(t).isNotEqualTo(Table.of("t", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("v", Type.INTEGER), Index.of("other_name", "v")));
        assertThat(t).isNotEqualTo(Table.of("t", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("v", Type.BIGINT), Index.on("v")));
        assertThat(t).isNotEqualTo(Table.of("t", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("v", Type.INTEGER)));
        assertThat(t).isNotEqualTo(Table.of("T", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("v", Type.INTEGER), Index.of("ix_t_v", "v")));
        assertThat(t).isNotEqualTo(Table.of("t", Column.of("v", Type.INTEGER), Column.of("id", Type.INTEGER)
                .primaryKey(), Index.on("v")));
    }

    @Test
    void constraintOrderDoesNotMatterButKeyColumnOrderDoes() {
        Table a = Table.of("t", Column.of("a", Type.INTEGER), Column.of("b", Type.INTEGER),
                UniqueConstraint.of("a"), UniqueConstraint.of("b"), PrimaryKey.of("a", "b"));
        Table b = Table.of("t", Column.of("a", Type.INTEGER), Column.of("b", Type.INTEGER),
                UniqueConstraint.of("b"), UniqueConstraint.of("a"), PrimaryKey.of("a", "b"));
        Table c = Table.of("t", Column.of("a", Type.INTEGER), Column.of("b", Type.INTEGER),
                UniqueConstraint.of("b"), UniqueConstraint.of("a"), PrimaryKey.of("b", "a"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void checksAreComparedButCanBeLeftOut() {
        Table t = Table.of("t", Column.of("n", Type.INTEGER), CheckConstraint.of("n > 0"));
        assertThat(t).isNotEqualTo(Table.of("t", Column.of("n", Type.INTEGER)));
        assertThat(t.withoutChecks()).isEqualTo(Table.of("t", Column.of("n", Type.INTEGER)));
    }

    @Test
    void reflectedNamesComeBackAsWritten() {
        assertThat(Identifiers.normalize("USERS", true)).isEqualTo("users");
        assertThat(Identifiers.normalize("Users", true)).isEqualTo("Users");
        assertThat(Identifiers.normalize("MY TABLE", true)).isEqualTo("MY TABLE");
        assertThat(Identifiers.normalize("USERS", false)).isEqualTo("USERS");
        assertThat(Identifiers.folded("users", Identifiers.H2, true, false)).isEqualTo("USERS");
        assertThat(Identifiers.folded("Users", Identifiers.H2, true, false)).isNull();
        assertThat(Identifiers.folded("user", Identifiers.H2, true, false)).as("quoted, so kept").isNull();
        assertThat(Identifiers.folded("users", Identifiers.MYSQL, false, false)).isNull();
    }

    @Test
    void metaDataKeepsDeclarationOrderAndFindsIgnoringCase() {
        MetaData meta = new MetaData();
        meta.table("b", Column.of("a_id", Type.INTEGER).references("a.id"));
        meta.table("a", Column.of("id", Type.INTEGER).primaryKey());
        assertThat(meta.tables()).extracting(Table::name).containsExactly("b", "a");
        assertThat(meta.sortedTables()).extracting(Table::name).containsExactly("a", "b");
        assertThat(meta.find("A")).isPresent();
        assertThat(meta.find("c")).isEmpty();
        assertThat(meta).hasToString("MetaData [b, a]");
        assertThat(List.of(meta.find("a").orElseThrow().toString())).first().asString()
                .isEqualTo("Table a (\n    id INTEGER PRIMARY KEY\n)");
    }
}
