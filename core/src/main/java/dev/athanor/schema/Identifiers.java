package dev.athanor.schema;

import dev.athanor.ConfigurationException;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Names of tables, columns, constraints and indexes: when they are quoted, how reflected names are brought back to the
 * form a user writes, and the names Athanor generates.
 *
 * <p>The quoting rule: a name in lower case ({@code [a-z_][a-z0-9_]*}) that is not a reserved word of the database
 * at hand is written bare, and is therefore case-insensitive, as SQL intends. Any other name (one with an upper case
 * letter, a space, a reserved word such as {@code order}, or {@code user} on PostgreSQL and H2) is quoted and is
 * case-sensitive from then on; queries must quote it too. Reserved words are looked up per database, so that a name
 * reserved only by MySQL ({@code lines}) stays bare, and case-insensitive, on PostgreSQL and H2.
 */
final class Identifiers {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");
    /** Generated names stay below PostgreSQL's 63-character limit. */
    static final int MAX_GENERATED = 60;

    /** Words reserved in SQL itself and in each of PostgreSQL, H2 2.x and MariaDB/MySQL. */
    private static final Set<String> COMMON = Set.of(
            "all", "and", "as", "between", "both", "by", "case", "check", "collate", "column", "constraint", "create",
            "cross", "current_date", "current_time", "current_timestamp", "current_user", "default", "distinct",
            "else", "except", "exists", "false", "fetch", "for", "foreign", "from", "full", "grant", "group",
            "having", "in", "inner", "intersect", "interval", "into", "is", "join", "leading", "left", "like",
            "limit", "localtime", "localtimestamp", "natural", "not", "null", "on", "or", "order", "primary",
            "references", "right", "select", "table", "to", "trailing", "true", "union", "unique", "using", "values",
            "when", "where", "with");

    /** PostgreSQL's reserved key words (beyond {@link #COMMON}). */
    static final Set<String> POSTGRESQL = union(COMMON, Set.of(
            "analyse", "analyze", "any", "array", "asc", "asymmetric", "authorization", "binary", "cast",
            "collation", "concurrently", "current_catalog", "current_role", "current_schema", "deferrable", "desc",
            "do", "end", "freeze", "ilike", "initially", "isnull", "lateral", "notnull", "offset", "only",
            "outer", "overlaps", "placing", "returning", "session_user", "similar", "some", "symmetric",
            "system_user", "tablesample", "then", "user", "variadic", "verbose", "window"));

    /** H2 2.x's keywords (beyond {@link #COMMON}). */
    static final Set<String> H2 = union(COMMON, Set.of(
            "_rowid_", "any", "array", "asymmetric", "authorization", "cast", "current_catalog", "current_path",
            "current_role", "current_schema", "day", "end", "groups", "hour", "if", "ilike", "key", "minus",
            "minute", "month", "offset", "over", "partition", "qualify", "range", "regexp", "row", "rownum", "rows",
            "second", "session_user", "set", "some", "symmetric", "system_user", "then", "top", "uescape", "unknown",
            "user", "value", "window", "year"));

    /** MariaDB's and MySQL 8's reserved words (beyond {@link #COMMON}). */
    static final Set<String> MYSQL = union(COMMON, Set.of(
            "add", "alter", "asc", "before", "bigint", "binary", "blob", "call", "cascade", "change", "char",
            "character", "condition", "continue", "convert", "database", "databases", "dec", "decimal", "declare",
            "delayed", "delete", "desc", "describe", "div", "double", "drop", "dual", "each", "elseif", "escaped",
            "exit", "explain", "float", "force", "fulltext", "groups", "high_priority", "if", "ignore", "index",
            "infile", "insert", "int", "integer", "key", "keys", "kill", "lateral", "leave", "lines", "load", "lock",
            "long", "loop", "match", "mod", "numeric", "of", "offset", "option", "outer", "outfile", "over",
            "precision", "procedure", "purge", "range", "rank", "read", "real", "recursive", "release", "rename",
            "repeat", "replace", "require", "restrict", "return", "revoke", "rlike", "row", "rows", "schema",
            "separator", "set", "show", "smallint", "spatial", "sql", "starting", "system", "then", "trigger", "undo",
            "unlock", "unsigned", "update", "usage", "use", "varchar", "varying", "while", "window", "write", "xor",
            "zerofill"));

    /** Every word above: what SQLite (which accepts quoted names in any case) and unknown databases quote. */
    static final Set<String> ANY = union(union(POSTGRESQL, H2), MYSQL);

    private Identifiers() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /** Whether {@code name} is written bare: lower case, letters/digits/underscore, not in {@code reserved}. */
    static boolean isPlain(String name, Set<String> reserved) {
        return PLAIN.matcher(name).matches() && !reserved.contains(name);
    }

    /** {@code name} bare when plain, else between {@code quote} characters with embedded quotes doubled. */
    static String quote(String name, char quote, Set<String> reserved) {
        if (isPlain(name, reserved)) {
            return name;
        }
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    /**
     * A reflected name in the form a user writes: a database that folds unquoted names to upper case (H2) reports
     * {@code USERS} for {@code users}, which becomes {@code users} again. Names with lower case letters, and every name
     * on databases that keep or lower the case, are kept as reported.
     */
    static String normalize(String reported, boolean storesUpperCase) {
        if (reported == null || !storesUpperCase) {
            return reported;
        }
        String lower = reported.toLowerCase(Locale.ROOT);
        if (reported.equals(reported.toUpperCase(Locale.ROOT)) && PLAIN.matcher(lower).matches()) {
            return lower;
        }
        return reported;
    }

    /**
     * The name a database stores for {@code name} written bare, when that differs from {@code name}: upper case on
     * H2, lower case on PostgreSQL; {@code null} when the name is quoted (not plain among {@code reserved}) or the
     * database keeps case.
     */
    static String folded(String name, Set<String> reserved, boolean storesUpperCase, boolean storesLowerCase) {
        if (!isPlain(name, reserved)) {
            return null;
        }
        if (storesUpperCase) {
            return name.toUpperCase(Locale.ROOT);
        }
        return storesLowerCase ? name.toLowerCase(Locale.ROOT) : null;
    }

    /** {@code prefix_table_col1_col2}, shortened with a hash when longer than {@link #MAX_GENERATED}. */
    static String generated(String prefix, String table, List<String> columns) {
        StringBuilder b = new StringBuilder(prefix).append('_').append(table);
        for (String c : columns) {
            b.append('_').append(c);
        }
        String name = b.toString();
        if (name.length() <= MAX_GENERATED) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        String hash = String.format(Locale.ROOT, "%08x", crc.getValue());
        return name.substring(0, MAX_GENERATED - 9) + "_" + hash;
    }

    /** Rejects a null or blank name; returns it unchanged (names are used exactly as given). */
    static String require(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new ConfigurationException(what + " name must not be blank, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }
}
