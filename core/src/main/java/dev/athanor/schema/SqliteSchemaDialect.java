package dev.athanor.schema;

import dev.athanor.Dialect;

import java.util.List;
import java.util.regex.Pattern;

/**
 * SQLite, DDL only ("where sensible"): types are declared with names that give SQLite's type affinity the right
 * behaviour (UUIDs and JSON as text), an auto-increment key is {@code INTEGER PRIMARY KEY AUTOINCREMENT} and must be
 * the whole primary key, time-zone timestamps cannot be expressed, and foreign-key cycles cannot be created (SQLite
 * has no ALTER TABLE ADD CONSTRAINT). Foreign keys are only enforced with {@code PRAGMA foreign_keys = ON}.
 */
final class SqliteSchemaDialect extends SchemaDialect {
    private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'|[+-]?\\d+(\\.\\d*)?|TRUE|FALSE"
            + "|CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME");

    SqliteSchemaDialect() {
        super(Dialect.SQLITE);
    }

    @Override
    String typeSql(Type t) {
        switch (t.kind()) {
            case INTEGER:
                return "INTEGER";
            case BIGINT:
                return "BIGINT";
            case SMALLINT:
                return "SMALLINT";
            case VARCHAR:
                return "VARCHAR(" + t.length() + ")";
            case TEXT:
            case JSON:
                return "TEXT";
            case BOOLEAN:
                return "BOOLEAN";
            case DECIMAL:
                return "NUMERIC(" + t.precision() + "," + t.scale() + ")";
            case DOUBLE:
                return "DOUBLE";
            case DATE:
                return "DATE";
            case TIMESTAMP:
                if (t.withTimeZone()) {
                    throw cannot(t, "SQLite has no time-zone type; store UTC in Type.TIMESTAMP");
                }
                return "TIMESTAMP";
            case UUID:
                return "CHAR(36)";
            case BLOB:
                return "BLOB";
            default:
                return t.vendorName();
        }
    }

    @Override
    String columnSql(Column c) {
        if (!c.isAutoIncrement()) {
            return super.columnSql(c);
        }
        // SQLite only generates keys for an INTEGER PRIMARY KEY column, whatever integer type was asked for.
        return quote(c.name()) + " INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    String defaultSql(Column c) {
        String d = c.defaultSql();
        return LITERAL.matcher(d).matches() ? d : "(" + d + ")";
    }

    @Override
    boolean tableLevelPrimaryKey(Table t) {
        return t.columns().stream().noneMatch(Column::isAutoIncrement);
    }

    @Override
    boolean supportsAlterForeignKey() {
        return false;
    }

    @Override
    boolean transactionalDdl() {
        return true;
    }

    @Override
    int maxIdentifierLength() {
        return 1000;
    }

    @Override
    void validate(Table table, List<String> problems) {
        for (Column c : table.columns()) {
            if (c.isAutoIncrement() && table.primaryKey().map(pk -> pk.columns().size()).orElse(0) != 1) {
                problems.add("table '" + table.name() + "': SQLite can auto-increment only a single-column primary"
                        + " key, but '" + c.name() + "' is part of " + table.primaryKey().orElse(null));
            }
        }
    }
}
