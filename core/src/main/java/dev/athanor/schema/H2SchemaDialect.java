package dev.athanor.schema;

import dev.athanor.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * H2 2.x: identity columns, {@code CLOB}/{@code BLOB}, native {@code JSON} and {@code UUID}. DDL is not
 * transactional: every CREATE/DROP commits the transaction it runs in. H2 makes an index for each foreign key; those
 * ({@code INFORMATION_SCHEMA.INDEXES.IS_GENERATED}) are left out of reflection.
 */
final class H2SchemaDialect extends SchemaDialect {
    H2SchemaDialect() {
        super(Dialect.H2);
    }

    @Override
    Set<String> reservedWords() {
        return Identifiers.H2;
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
                return varchar(t, 1_000_000_000);
            case TEXT:
                return "CLOB";
            case BOOLEAN:
                return "BOOLEAN";
            case DECIMAL:
                return decimal("NUMERIC", t, 100_000, 100_000);
            case DOUBLE:
                return "DOUBLE PRECISION";
            case DATE:
                return "DATE";
            case TIMESTAMP:
                return t.withTimeZone() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case UUID:
                return "UUID";
            case BLOB:
                return "BLOB";
            case JSON:
                return "JSON";
            default:
                return t.vendorName();
        }
    }

    @Override
    String indexName(String schema, String index) {
        // H2 puts an unqualified index name in the current schema, not the table's.
        return schema == null ? quote(index) : quote(schema) + "." + quote(index);
    }

    @Override
    int maxIdentifierLength() {
        return 256;
    }

    @Override
    Type reflectType(String typeName, int jdbcType, int size, int digits) {
        switch (typeName == null ? "" : typeName.toUpperCase(Locale.ROOT)) {
            case "CHARACTER VARYING":
                return size > 0 && size < 1_000_000_000 ? Type.varchar(size) : Type.TEXT;
            case "CHARACTER LARGE OBJECT":
                return Type.TEXT;
            case "BINARY LARGE OBJECT":
                return Type.BLOB;
            case "DOUBLE PRECISION":
                return Type.DOUBLE;
            case "NUMERIC":
            case "DECIMAL":
                return size > 0 && size < 100_000 ? Type.decimal(size, Math.max(0, digits)) : Type.opaque(typeName);
            case "UUID":
                return Type.UUID;
            case "JSON":
                return Type.JSON;
            case "TIMESTAMP WITH TIME ZONE":
                return Type.TIMESTAMP_TZ;
            case "REAL":
                return Type.opaque(typeName);
            default:
                return super.reflectType(typeName, jdbcType, size, digits);
        }
    }

    @Override
    String reflectDefault(String columnDef) {
        if (columnDef == null || !columnDef.startsWith("U&'") || !columnDef.endsWith("'") || columnDef.length() < 4) {
            return columnDef;
        }
        // H2 reports a string with control characters as a Unicode literal (U&'tab\0009'); the model keeps the
        // standard literal, so decode \XXXX, \+XXXXXX and \\, then requote.
        String body = Defaults.stringValue(columnDef.substring(2));
        if (body == null) {
            return columnDef;
        }
        StringBuilder value = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch != '\\' || i + 1 >= body.length()) {
                value.append(ch);
            } else if (body.charAt(i + 1) == '\\') {
                value.append('\\');
                i++;
            } else {
                int digits = body.charAt(i + 1) == '+' ? 6 : 4;
                int start = digits == 6 ? i + 2 : i + 1;
                if (start + digits > body.length()) {
                    return columnDef;
                }
                try {
                    value.appendCodePoint(Integer.parseInt(body, start, start + digits, 16));
                } catch (IllegalArgumentException e) { // not hex, or not a code point
                    return columnDef;
                }
                i = start + digits - 1;
            }
        }
        return Defaults.literal(value.toString());
    }

    @Override
    Set<String> implicitIndexes(Connection c, String catalog, String schema, String table, List<ForeignKey> fks,
            List<Index> indexes) {
        Set<String> generated = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND IS_GENERATED")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    generated.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            // H2 1.4 has no IS_GENERATED: its foreign-key indexes then reflect as ordinary indexes.
            return Set.of();
        }
        return generated;
    }
}
