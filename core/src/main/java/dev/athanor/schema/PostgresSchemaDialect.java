package dev.athanor.schema;

import dev.athanor.Dialect;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL: identity columns, {@code BYTEA}, {@code JSONB}, native {@code UUID} and time-zone timestamps;
 * transactional DDL. Reflected defaults lose their casts ({@code 'ann'::character varying} is {@code 'ann'}).
 */
final class PostgresSchemaDialect extends SchemaDialect {
    /** A trailing {@code ::type}, {@code ::character varying(20)} or {@code ::text[]}. */
    private static final Pattern CAST =
            Pattern.compile("::\"?[A-Za-z_][A-Za-z0-9_ .\"]*(\\(\\d+(,\\s*\\d+)?\\))?(\\[\\])*$");

    PostgresSchemaDialect() {
        super(Dialect.POSTGRESQL);
    }

    @Override
    Set<String> reservedWords() {
        return Identifiers.POSTGRESQL;
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
                return varchar(t, 10_485_760);
            case TEXT:
                return "TEXT";
            case BOOLEAN:
                return "BOOLEAN";
            case DECIMAL:
                return decimal("NUMERIC", t, 1000, 1000);
            case DOUBLE:
                return "DOUBLE PRECISION";
            case DATE:
                return "DATE";
            case TIMESTAMP:
                return t.withTimeZone() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case UUID:
                return "UUID";
            case BLOB:
                return "BYTEA";
            case JSON:
                return "JSONB";
            default:
                return t.vendorName();
        }
    }

    @Override
    boolean transactionalDdl() {
        return true;
    }

    @Override
    Type reflectType(String typeName, int jdbcType, int size, int digits) {
        switch (typeName == null ? "" : typeName.toLowerCase(Locale.ROOT)) {
            case "int8":
            case "bigserial":
                return Type.BIGINT;
            case "int4":
            case "serial":
                return Type.INTEGER;
            case "int2":
            case "smallserial":
                return Type.SMALLINT;
            case "varchar":
                return size > 0 && size < Integer.MAX_VALUE ? Type.varchar(size) : Type.TEXT;
            case "text":
                return Type.TEXT;
            case "bool":
                return Type.BOOLEAN;
            case "numeric":
                return size > 0 && size <= 1000 ? Type.decimal(size, Math.max(0, digits)) : Type.opaque("numeric");
            case "float8":
                return Type.DOUBLE;
            case "date":
                return Type.DATE;
            case "timestamp":
                return Type.TIMESTAMP;
            case "timestamptz":
                return Type.TIMESTAMP_TZ;
            case "uuid":
                return Type.UUID;
            case "bytea":
                return Type.BLOB;
            case "json":
            case "jsonb":
                return Type.JSON;
            default:
                return opaque(typeName, jdbcType, size);
        }
    }

    @Override
    String defaultSql(Column c) {
        String value = Defaults.stringValue(c.defaultSql());
        if (value != null && value.indexOf('\\') >= 0) {
            // With standard_conforming_strings off (a session setting) a backslash in '...' escapes, so 'C:\temp'
            // would store a tab and a crafted value could end the literal. E'...' with backslashes and quotes doubled
            // reads the same under either setting.
            return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
        }
        return c.defaultSql();
    }

    @Override
    String reflectDefault(String columnDef) {
        if (columnDef == null) {
            return null;
        }
        String s = Defaults.stripParentheses(columnDef.trim());
        String before;
        do {
            before = s;
            s = Defaults.stripParentheses(CAST.matcher(s).replaceFirst("").trim());
        } while (!s.equals(before));
        return s;
    }
}
