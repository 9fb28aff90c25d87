package dev.athanor.schema;

import java.util.List;
import java.util.Objects;

/**
 * A table's primary key declared at table level, for a key whose column order differs from the table's or that
 * needs a name. {@code Column.primaryKey()} on each key column does the same in column order.
 *
 * <pre>{@code
 * meta.table("memberships",
 *         Column.of("group_id", Type.BIGINT),
 *         Column.of("user_id", Type.BIGINT),
 *         PrimaryKey.of("user_id", "group_id").named("pk_memberships"));
 * }</pre>
 *
 * <p>Equality ignores the name: databases name keys themselves ({@code users_pkey}, {@code PRIMARY}).
 */
public final class PrimaryKey implements TableElement {
    private final String name;
    private final List<String> columns;

    private PrimaryKey(String name, List<String> columns) {
        this.name = name;
        this.columns = columns;
    }

    /**
     * A primary key over {@code columns}, in key order.
     *
     * @throws dev.athanor.ConfigurationException when no column, a blank one or a repeated one is given
     */
    public static PrimaryKey of(String... columns) {
        return of(Names.asList(columns));
    }

    /** A primary key over {@code columns}, in key order. */
    public static PrimaryKey of(List<String> columns) {
        return new PrimaryKey(null, Names.columns("primary key", columns));
    }

    /** This key with a constraint name. */
    public PrimaryKey named(String name) {
        return new PrimaryKey(Identifiers.require("primary key", name), columns);
    }

    /** The constraint name, or {@code null} when the database chooses it. */
    public String name() {
        return name;
    }

    /** The key's columns, in key order. */
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrimaryKey && columns.equals(((PrimaryKey) o).columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns);
    }

    @Override
    public String toString() {
        return "PRIMARY KEY " + Names.list(columns);
    }
}
