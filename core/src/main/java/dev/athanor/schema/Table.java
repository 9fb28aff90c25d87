package dev.athanor.schema;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.internal.Arguments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table's description: columns, primary key, unique constraints, foreign keys, indexes and check constraints.
 * Immutable and thread-safe; compares by value, so a table defined in code and the same table
 * {@linkplain #reflect(Engine, String) reflected} from a database are {@code equals} (see {@link MetaData} for the
 * documented exceptions).
 *
 * <pre>{@code
 * // defined in code (owned by the application: create_all, migrations)
 * MetaData meta = new MetaData();
 * Table users = meta.table("users",
 *         Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
 *         Column.of("email", Type.varchar(100)).notNull().unique());
 *
 * // reflected (follows the live database: existing schemas, read-only use)
 * Table live = Table.reflect(engine, "users");
 * assert live.equals(users);
 * }</pre>
 *
 * <p>A table holds the model for DDL and introspection only; it builds no queries.
 */
public final class Table {
    private final String schema;
    private final String name;
    private final List<Column> columns;
    private final PrimaryKey primaryKey;
    private final List<UniqueConstraint> uniques;
    private final List<ForeignKey> foreignKeys;
    private final List<Index> indexes;
    private final List<CheckConstraint> checks;

    private Table(String schema, String name, List<Column> columns, PrimaryKey primaryKey,
            List<UniqueConstraint> uniques, List<ForeignKey> foreignKeys, List<Index> indexes,
            List<CheckConstraint> checks) {
        this.schema = schema;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.primaryKey = primaryKey;
        this.uniques = List.copyOf(uniques);
        this.foreignKeys = List.copyOf(foreignKeys);
        this.indexes = List.copyOf(indexes);
        this.checks = List.copyOf(checks);
    }

    /**
     * A table outside any {@link MetaData} (add it to one with {@link MetaData#add(Table)}).
     *
     * @throws ConfigurationException listing every problem: no columns, a repeated column name, a constraint or
     *     index on a column the table does not have, ...
     */
    public static Table of(String name, TableElement... elements) {
        return of(null, name, List.of(Arguments.noNulls(elements, "elements")));
    }

    /** A table in {@code schema} ({@code null}: the connection's current schema). */
    static Table of(String schema, String name, List<TableElement> elements) {
        Identifiers.require("table", name);
        List<Column> cols = new ArrayList<>();
        List<PrimaryKey> pks = new ArrayList<>();
        List<UniqueConstraint> uqs = new ArrayList<>();
        List<ForeignKey> fks = new ArrayList<>();
        List<Index> ixs = new ArrayList<>();
        List<CheckConstraint> cks = new ArrayList<>();
        for (TableElement e : elements) {
            if (e instanceof Column) {
                cols.add((Column) e);
            } else if (e instanceof PrimaryKey) {
                pks.add((PrimaryKey) e);
            } else if (e instanceof UniqueConstraint) {
                uqs.add((UniqueConstraint) e);
            } else if (e instanceof ForeignKey) {
                fks.add((ForeignKey) e);
            } else if (e instanceof Index) {
                ixs.add(((Index) e).inTable(name));
            } else if (e instanceof CheckConstraint) {
                cks.add((CheckConstraint) e);
            } else {
                throw new ConfigurationException("table '" + name + "': null element");
            }
        }
        return TableBuilder.build(schema, name, cols, pks, uqs, fks, ixs, cks);
    }

    /** Used by {@link TableBuilder} once everything is checked and the column flags agree with the constraints. */
    static Table trusted(String schema, String name, List<Column> columns, PrimaryKey primaryKey,
            List<UniqueConstraint> uniques, List<ForeignKey> foreignKeys, List<Index> indexes,
            List<CheckConstraint> checks) {
        return new Table(schema, name, columns, primaryKey, uniques, foreignKeys, indexes, checks);
    }

    /**
     * Reads a table's description from the database: SQLAlchemy's {@code Table(name, metadata, autoload_with=engine)}.
     * Looks in the connection's current schema; {@code name} is matched as written and, for a lower-case name, in the
     * case the database folds unquoted names to ({@code USERS} on H2).
     *
     * @throws NoSuchTableException when there is no such table
     */
    public static Table reflect(Engine engine, String name) {
        return reflect(engine, null, name);
    }

    /** {@link #reflect(Engine, String)} in {@code schema} (the database, on MariaDB/MySQL). */
    public static Table reflect(Engine engine, String schema, String name) {
        Arguments.notNull(engine, "engine");
        Identifiers.require("table", name);
        return engine.withConnection(c -> new Reflector(engine, c.jdbc()).table(schema, name));
    }

    /** The table's name, as written. */
    public String name() {
        return name;
    }

    /** The schema the table lives in, or {@code null} for the connection's current schema. */
    public String schema() {
        return schema;
    }

    /** The columns, in table order. */
    public List<Column> columns() {
        return columns;
    }

    /** The column called {@code name} (ignoring case). */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The primary key, if the table has one. */
    public Optional<PrimaryKey> primaryKey() {
        return Optional.ofNullable(primaryKey);
    }

    /** The unique constraints, including those declared with {@code Column.unique()}. */
    public List<UniqueConstraint> uniqueConstraints() {
        return uniques;
    }

    /** The foreign keys, including those declared with {@code Column.references(...)}. */
    public List<ForeignKey> foreignKeys() {
        return foreignKeys;
    }

    /** The (non-unique) indexes, each with its name. */
    public List<Index> indexes() {
        return indexes;
    }

    /** The check constraints (never filled by reflection; see {@link CheckConstraint}). */
    public List<CheckConstraint> checks() {
        return checks;
    }

    /** This table without its check constraints: what a reflection of it compares equal to. */
    public Table withoutChecks() {
        return new Table(schema, name, columns, primaryKey, uniques, foreignKeys, indexes, List.of());
    }

    /** This table placed in {@code schema} ({@code null}: the current schema). */
    Table inSchema(String newSchema) {
        return Objects.equals(schema, newSchema) ? this
                : new Table(newSchema, name, columns, primaryKey, uniques, foreignKeys, indexes, checks);
    }

    /** {@code schema.name} or {@code name}. */
    String displayName() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Table)) {
            return false;
        }
        Table t = (Table) o;
        return Objects.equals(schema, t.schema) && name.equals(t.name) && columns.equals(t.columns)
                && Objects.equals(primaryKey, t.primaryKey) && new HashSet<>(uniques).equals(new HashSet<>(t.uniques))
                && new HashSet<>(foreignKeys).equals(new HashSet<>(t.foreignKeys))
                && new HashSet<>(indexes).equals(new HashSet<>(t.indexes))
                && new HashSet<>(checks).equals(new HashSet<>(t.checks));
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name, columns, primaryKey, new HashSet<>(uniques), new HashSet<>(foreignKeys),
                new HashSet<>(indexes), new HashSet<>(checks));
    }

    /** A readable, database-neutral description, one column or constraint per line. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        columns.forEach(c -> parts.add(c.toString()));
        if (primaryKey != null && primaryKey.columns().size() > 1) {
            parts.add(primaryKey.toString());
        }
        uniques.stream().filter(u -> u.columns().size() > 1).forEach(u -> parts.add(u.toString()));
        foreignKeys.stream().filter(f -> f.columns().size() > 1).forEach(f -> parts.add(f.toString()));
        indexes.forEach(i -> parts.add(i.toString()));
        checks.forEach(c -> parts.add(c.toString()));
        return "Table " + displayName() + " (\n    " + String.join(",\n    ", parts) + "\n)";
    }

    /** Lower-cased names, for case-insensitive lookups. */
    static Map<String, Column> byLowerName(List<Column> columns) {
        Map<String, Column> m = new LinkedHashMap<>();
        columns.forEach(c -> m.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c));
        return m;
    }

    /** The lower-cased names of {@code names}. */
    static Set<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
