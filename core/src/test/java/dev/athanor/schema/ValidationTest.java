package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Dialect;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad definition is a clear {@link ConfigurationException}, raised before any DDL could run. */
class ValidationTest {
    private static ConfigurationException ddlFailure(MetaData meta, Dialect dialect) {
        try {
            meta.toDdl(dialect);
        } catch (ConfigurationException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigurationException for " + dialect);
    }

    @Test
    void duplicateTableName() {
        MetaData meta = new MetaData();
        meta.table("users", Column.of("id", Type.INTEGER));
        assertThatThrownBy(() -> meta.table("USERS", Column.of("id", Type.INTEGER)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("table 'USERS' is already defined in this MetaData");
    }

    @Test
    void duplicateColumnName() {
        assertThatThrownBy(() -> Table.of("t", Column.of("id", Type.INTEGER), Column.of("ID", Type.BIGINT)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("table 't': column 'ID' is defined twice");
    }

    @Test
    void everyTableProblemIsListedAtOnce() {
        ConfigurationException e = (ConfigurationException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Table.of("t", Column.of("id", Type.INTEGER), PrimaryKey.of("idx"), UniqueConstraint.of("nope"),
                        Index.of("ix_t", "gone"), ForeignKey.of("missing", "u.id")));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage()).startsWith("table 't': primary key names column 'idx', which the table does not"
                + " have (it has [id])").contains("'nope'", "index ix_t names column 'gone'", "'missing'");
    }

    @Test
    void emptyTable() {
        assertThatThrownBy(() -> new MetaData().table("t"))
                .hasMessage("table 't': a table needs at least one column");
    }

    @Test
    void primaryKeyDeclaredTwoWaysMustAgree() {
        assertThatThrownBy(() -> Table.of("t", Column.of("a", Type.INTEGER).primaryKey(),
                Column.of("b", Type.INTEGER), PrimaryKey.of("b")))
                .hasMessageContaining("PRIMARY KEY (b) disagrees with the columns marked primaryKey() [a]");
        assertThat(Table.of("t", Column.of("a", Type.INTEGER).primaryKey(), PrimaryKey.of("a")).primaryKey())
                .contains(PrimaryKey.of("a"));
    }

    @Test
    void uniqueConstraintRepeatingThePrimaryKey() {
        assertThatThrownBy(() -> Table.of("t", Column.of("a", Type.INTEGER).primaryKey().unique()))
                .hasMessage("table 't': UNIQUE (a) repeats the primary key");
    }

    @Test
    void foreignKeyToAMissingTable() {
        MetaData meta = new MetaData();
        meta.table("users", Column.of("id", Type.INTEGER).primaryKey());
        meta.table("orders", Column.of("user_id", Type.INTEGER).references("user.id"));
        assertThat(ddlFailure(meta, Dialect.H2).getMessage()).isEqualTo("invalid schema for H2: table 'orders':"
                + " FOREIGN KEY (user_id) REFERENCES user(id) references table 'user', which this MetaData does not"
                + " have (it has [users, orders])");
    }

    @Test
    void foreignKeyToAMissingColumn() {
        MetaData meta = new MetaData();
        meta.table("users", Column.of("id", Type.INTEGER).primaryKey());
        meta.table("orders", Column.of("user_id", Type.INTEGER).references("users.uid"));
        assertThat(ddlFailure(meta, Dialect.POSTGRESQL).getMessage())
                .contains("references column 'users.uid', which does not exist (it has [id])");
    }

    @Test
    void foreignKeyToColumnsThatAreNotAKey() {
        MetaData meta = new MetaData();
        meta.table("users", Column.of("id", Type.INTEGER).primaryKey(), Column.of("email", Type.varchar(50)));
        meta.table("orders", Column.of("email", Type.varchar(50)).references("users.email"));
        assertThat(ddlFailure(meta, Dialect.MARIADB).getMessage())
                .contains("users(email) is neither the primary key nor a unique constraint of 'users'");
    }

    @Test
    void typesADialectCannotExpress() {
        MetaData meta = new MetaData();
        meta.table("t", Column.of("at", Type.timestamp(true)), Column.of("n", Type.decimal(70, 2)),
                Column.of("s", Type.varchar(20_000)));
        ConfigurationException e = ddlFailure(meta, Dialect.MARIADB);
        assertThat(e.problems()).containsExactly(
                "table 't' column 'at': MARIADB cannot express TIMESTAMP WITH TIME ZONE: there is no time-zone"
                        + " timestamp type; use Type.TIMESTAMP (DATETIME(6)) and store UTC",
                "table 't' column 'n': MARIADB cannot express DECIMAL(70,2): precision is at most 65 and scale at"
                        + " most 38 here",
                "table 't' column 's': MARIADB cannot express VARCHAR(20000): VARCHAR is at most 16383 characters"
                        + " here; use Type.TEXT");
        assertThat(ddlFailure(meta, Dialect.SQLITE).getMessage())
                .contains("SQLITE cannot express TIMESTAMP WITH TIME ZONE");
        assertThat(meta.toDdl(Dialect.POSTGRESQL)).hasSize(1);
    }

    @Test
    void autoIncrementRules() {
        MetaData meta = new MetaData();
        meta.table("a", Column.of("id", Type.varchar(10)).primaryKey().autoIncrement());
        meta.table("b", Column.of("id", Type.INTEGER).autoIncrement());
        meta.table("c", Column.of("id", Type.INTEGER).primaryKey().autoIncrement().defaultValue(1));
        meta.table("d", Column.of("x", Type.INTEGER).primaryKey().autoIncrement(),
                Column.of("y", Type.INTEGER).primaryKey().autoIncrement());
        assertThat(ddlFailure(meta, Dialect.POSTGRESQL).problems()).containsExactly(
                "table 'a' column 'id': only INTEGER, BIGINT or SMALLINT columns can auto-increment, not VARCHAR(10)",
                "table 'b' column 'id': an auto-increment column must be part of the primary key",
                "table 'c' column 'id': an auto-increment column cannot also have DEFAULT 1",
                "table 'd': has 2 auto-increment columns; at most one is allowed");
    }

    @Test
    void sqliteAutoIncrementNeedsASingleColumnKey() {
        MetaData meta = new MetaData();
        meta.table("t", Column.of("id", Type.INTEGER).primaryKey().autoIncrement(),
                Column.of("v", Type.INTEGER).primaryKey());
        assertThat(ddlFailure(meta, Dialect.SQLITE).getMessage())
                .contains("SQLite can auto-increment only a single-column primary key");
        assertThat(meta.toDdl(Dialect.H2)).hasSize(1);
    }

    @Test
    void sqliteCannotCreateForeignKeyCycles() {
        MetaData meta = new MetaData();
        meta.table("a", Column.of("id", Type.INTEGER).primaryKey(), Column.of("b_id", Type.INTEGER).references("b.id"));
        meta.table("b", Column.of("id", Type.INTEGER).primaryKey(), Column.of("a_id", Type.INTEGER).references("a.id"));
        assertThat(ddlFailure(meta, Dialect.SQLITE).getMessage())
                .contains("foreign keys form a cycle between tables [", "SQLITE cannot add foreign keys after CREATE");
    }

    @Test
    void indexNamesAreUniqueInAMetaData() {
        MetaData meta = new MetaData();
        meta.table("a", Column.of("x", Type.INTEGER), Index.of("ix_x", "x"));
        meta.table("b", Column.of("x", Type.INTEGER), Index.of("IX_X", "x"));
        assertThat(ddlFailure(meta, Dialect.H2).getMessage())
                .contains("index name 'IX_X' is used by tables 'a' and 'b'; index names are per schema");
        assertThatThrownBy(() -> Table.of("c", Column.of("x", Type.INTEGER), Index.of("i", "x"), Index.of("i", "x")))
                .hasMessage("table 'c': index 'i' is defined twice");
    }

    @Test
    void namesLongerThanTheDatabaseKeeps() {
        MetaData meta = new MetaData();
        meta.table("t".repeat(64), Column.of("id", Type.INTEGER));
        assertThat(ddlFailure(meta, Dialect.POSTGRESQL).getMessage())
                .contains("is 64 characters; POSTGRESQL keeps at most 63");
        assertThat(meta.toDdl(Dialect.MARIADB)).hasSize(1);
    }

    @Test
    void badValuesInTheBuilders() {
        assertThatThrownBy(() -> Type.varchar(0)).isInstanceOf(ConfigurationException.class)
                .hasMessage("varchar length must be >= 1, was 0");
        assertThatThrownBy(() -> Type.decimal(5, 6))
                .hasMessage("decimal needs precision >= 1 and 0 <= scale <= precision, was (5, 6)");
        assertThatThrownBy(() -> Type.opaque(" ")).hasMessage("an opaque type needs a vendor type name, was ' '");
        assertThatThrownBy(() -> Column.of("", Type.INTEGER)).hasMessage("column name must not be blank, was ''");
        assertThatThrownBy(() -> Column.of("c", null)).hasMessage("column 'c' needs a type, was null");
        assertThatThrownBy(() -> Column.of("c", Type.INTEGER).references("users"))
                .hasMessageContaining("references(...) takes \"table.column\", was 'users'");
        assertThatThrownBy(() -> Column.of("c", Type.INTEGER).onDelete(ReferentialAction.CASCADE))
                .hasMessage("column 'c': onDelete(CASCADE) needs references(\"table.column\") first");
        assertThatThrownBy(() -> Column.of("c", Type.INTEGER).defaultValue(new Object()))
                .hasMessageContaining("is not a string, number or boolean; write it as SQL with defaultExpression");
        assertThatThrownBy(() -> ForeignKey.of(List.of("a", "b"), "t", List.of("x")))
                .hasMessage("foreign key (a, b) -> t(x) pairs 2 column(s) with 1");
        assertThatThrownBy(() -> PrimaryKey.of("a", "A")).hasMessage("primary key lists column 'A' twice: [a, A]");
        assertThatThrownBy(() -> Index.on()).hasMessage("index needs at least one column");
    }
}
