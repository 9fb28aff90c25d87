package dev.athanor.schema;

import dev.athanor.Dialect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB and MySQL. DDL is not transactional (every statement commits), so createAll/dropAll are not atomic here.
 * Differences from the other databases:
 * <ul>
 *   <li>{@code BOOLEAN} is {@code TINYINT(1)}: reflection reports every {@code TINYINT(1)} as {@link Type#BOOLEAN}
 *       (the driver's {@code tinyInt1isBit}), including ones that were never meant as booleans;</li>
 *   <li>{@link Type#TIMESTAMP} is {@code DATETIME(6)}; {@code TIMESTAMP WITH TIME ZONE} cannot be expressed, and a
 *       MariaDB {@code TIMESTAMP} column (UTC-converting, session time zone) reflects as an opaque type;</li>
 *   <li>{@link Type#UUID} is MariaDB's native {@code UUID} (10.7+) and {@code CHAR(36)} on MySQL (which then
 *       reflects as opaque {@code CHAR(36)});</li>
 *   <li>{@link Type#JSON} on MariaDB is {@code LONGTEXT} plus a {@code json_valid} check; reflection recognises that
 *       pair as JSON again;</li>
 *   <li>indexes are declared inside CREATE TABLE (MySQL has no CREATE INDEX IF NOT EXISTS);</li>
 *   <li>{@code ON DELETE NO ACTION} is written out, since an FK declared without it reflects as RESTRICT;</li>
 *   <li>a string default holding a backslash or a control character is written as a hex literal
 *       ({@code _utf8mb4 X'...'}), which means the same with and without {@code NO_BACKSLASH_ESCAPES};</li>
 *   <li>the index InnoDB makes for a foreign key (named after the key or its first column) is not reflected.</li>
 * </ul>
 */
final class MysqlSchemaDialect extends SchemaDialect {
    private static final Pattern JSON_CHECK = Pattern.compile("(?i)json_valid\\(`((?:[^`]|``)+)`\\)");

    MysqlSchemaDialect(Dialect dialect) {
        super(dialect);
    }

    private boolean mariadb() {
        return dialect() == Dialect.MARIADB;
    }

    @Override
    char quoteChar() {
        return '`';
    }

    @Override
    Set<String> reservedWords() {
        return Identifiers.MYSQL;
    }

    @Override
    String typeSql(Type t) {
        switch (t.kind()) {
            case INTEGER:
                return "INT";
            case BIGINT:
                return "BIGINT";
            case SMALLINT:
                return "SMALLINT";
            case VARCHAR:
                return varchar(t, 16_383);
            case TEXT:
                return "LONGTEXT";
            case BOOLEAN:
                return "BOOLEAN";
            case DECIMAL:
                return decimal("DECIMAL", t, 65, mariadb() ? 38 : 30);
            case DOUBLE:
                return "DOUBLE";
            case DATE:
                return "DATE";
            case TIMESTAMP:
                if (t.withTimeZone()) {
                    throw cannot(t, "there is no time-zone timestamp type; use Type.TIMESTAMP (DATETIME(6)) and"
                            + " store UTC");
                }
                return "DATETIME(6)";
            case UUID:
                return mariadb() ? "UUID" : "CHAR(36)";
            case BLOB:
                return "LONGBLOB";
            case JSON:
                return "JSON";
            default:
                return t.vendorName();
        }
    }

    @Override
    String autoIncrementSql() {
        return " AUTO_INCREMENT";
    }

    @Override
    String defaultSql(Column c) {
        // A DATETIME(6) default must have the same fractional precision.
        if ("CURRENT_TIMESTAMP".equals(c.defaultSql()) && c.type().kind() == Type.Kind.TIMESTAMP) {
            return "CURRENT_TIMESTAMP(6)";
        }
        String value = Defaults.stringValue(c.defaultSql());
        if (value != null && !modeIndependent(value)) {
            // A backslash means one thing without NO_BACKSLASH_ESCAPES and another with it, and the session's
            // sql_mode is not ours to know: 'C:\temp' would store a tab, and a crafted value could end the literal
            // and add DDL. A hex literal with a character-set introducer reads the same in every mode.
            return "_utf8mb4 X'" + HexFormat.of().withUpperCase().formatHex(value.getBytes(StandardCharsets.UTF_8))
                    + "'";
        }
        return c.defaultSql();
    }

    /** Whether {@code value} reads the same between quotes with and without {@code NO_BACKSLASH_ESCAPES}. */
    private static boolean modeIndependent(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            // Control characters go hex too: a raw NUL or ^Z inside SQL text is at the mercy of every layer between.
            if (ch == '\\' || Character.isISOControl(ch)) {
                return false;
            }
        }
        return true;
    }

    @Override
    String reflectDefault(String columnDef) {
        if (columnDef == null || columnDef.length() < 2 || columnDef.charAt(0) != '\''
                || columnDef.charAt(columnDef.length() - 1) != '\'') {
            return columnDef;
        }
        // MariaDB reports a string default as a literal in its own escaped spelling ('C:\\temp', 'it''s', 'a\nb')
        // whatever the sql_mode; the model keeps standard SQL ('C:\temp'), so decode and requote.
        StringBuilder value = new StringBuilder(columnDef.length());
        for (int i = 1; i < columnDef.length() - 1; i++) {
            char ch = columnDef.charAt(i);
            if (ch == '\\' && i + 1 < columnDef.length() - 1) {
                char next = columnDef.charAt(++i);
                switch (next) {
                    case '0' -> value.append('\0');
                    case 'b' -> value.append('\b');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'Z' -> value.append('\u001A');
                    case '%', '_' -> value.append('\\').append(next);
                    default -> value.append(next);
                }
            } else if (ch == '\'') {
                if (i + 1 >= columnDef.length() - 1 || columnDef.charAt(i + 1) != '\'') {
                    return columnDef; // not one literal but an expression such as 'a' || 'b'
                }
                value.append('\'');
                i++;
            } else {
                value.append(ch);
            }
        }
        return Defaults.literal(value.toString());
    }

    @Override
    boolean inlineIndexes() {
        return true;
    }

    @Override
    boolean writesNoAction() {
        return true;
    }

    @Override
    String dropForeignKeySql(String qualifiedTable, String fk) {
        return "ALTER TABLE " + qualifiedTable + " DROP FOREIGN KEY " + (mariadb() ? "IF EXISTS " : "") + quote(fk);
    }

    @Override
    int maxIdentifierLength() {
        return 64;
    }

    @Override
    boolean schemaIsCatalog() {
        return true;
    }

    @Override
    Type reflectType(String typeName, int jdbcType, int size, int digits) {
        switch (typeName == null ? "" : typeName.toUpperCase(Locale.ROOT)) {
            case "INT":
            case "INTEGER":
                return Type.INTEGER;
            case "BIGINT":
                return Type.BIGINT;
            case "SMALLINT":
                return Type.SMALLINT;
            case "VARCHAR":
                return Type.varchar(size);
            case "LONGTEXT":
                return Type.TEXT;
            case "BOOLEAN":
                return Type.BOOLEAN;
            case "DECIMAL":
                return size > 0 ? Type.decimal(size, Math.max(0, digits)) : Type.opaque(typeName);
            case "DOUBLE":
                return Type.DOUBLE;
            case "DATE":
                return Type.DATE;
            case "DATETIME":
                return Type.TIMESTAMP;
            case "UUID":
                return Type.UUID;
            case "LONGBLOB":
                return Type.BLOB;
            case "JSON":
                return Type.JSON;
            default:
                return opaque(typeName, jdbcType, size);
        }
    }

    @Override
    Set<String> implicitIndexes(Connection c, String catalog, String schema, String table, List<ForeignKey> fks,
            List<Index> indexes) {
        Set<String> implicit = new HashSet<>();
        for (Index i : indexes) {
            for (ForeignKey fk : fks) {
                boolean sameColumns = Table.lower(i.columns()).equals(Table.lower(fk.columns()))
                        && i.columns().size() == fk.columns().size();
                if (sameColumns && (i.name().equalsIgnoreCase(fk.name())
                        || i.name().equalsIgnoreCase(fk.columns().get(0)))) {
                    implicit.add(i.name());
                }
            }
        }
        return implicit;
    }

    @Override
    Set<String> jsonColumns(Connection c, String catalog, String table) {
        // Asked of MySQL too: the MySQL dialect may run on a MariaDB server, and MySQL's own CHECK_CONSTRAINTS has no
        // TABLE_NAME, so the query fails there and finds nothing (MySQL reports JSON columns as JSON anyway).
        Set<String> json = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, catalog);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_CHECK.matcher(rs.getString(1).trim());
                    if (m.matches()) {
                        json.add(m.group(1).replace("``", "`"));
                    }
                }
            }
        } catch (SQLException e) {
            // MariaDB before 10.2 has no CHECK_CONSTRAINTS: JSON columns then reflect as TEXT.
            return Set.of();
        }
        return json;
    }
}
