package dev.athanor.schema;

import java.util.List;
import java.util.Objects;

/**
 * A (non-unique) index over one or more columns. For a unique index use {@link UniqueConstraint}.
 *
 * <pre>{@code
 * meta.table("orders",
 *         Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
 *         Column.of("customer_id", Type.BIGINT).notNull(),
 *         Column.of("placed_at", Type.TIMESTAMP).notNull(),
 *         Index.on("customer_id", "placed_at"),                  // named ix_orders_customer_id_placed_at
 *         Index.of("ix_orders_placed", "placed_at"));
 * }</pre>
 *
 * <p>An index declared without a name gets {@code ix_<table>_<columns>} (shortened with a hash past 60
 * characters). Equality compares the name and the columns; index names must be unique in a {@link MetaData}, as
 * PostgreSQL and H2 require within a schema.
 */
public final class Index implements TableElement {
    private final String name;
    private final List<String> columns;

    private Index(String name, List<String> columns) {
        this.name = name;
        this.columns = columns;
    }

    /**
     * An index called {@code name} over {@code columns}.
     *
     * @throws dev.athanor.ConfigurationException when the name is blank, or no column, a blank one or a repeated one
     *     is given
     */
    public static Index of(String name, String... columns) {
        return new Index(Identifiers.require("index", name), Names.columns("index " + name, Names.asList(columns)));
    }

    /** An index over {@code columns}, named by its table: {@code ix_<table>_<columns>}. */
    public static Index on(String... columns) {
        return new Index(null, Names.columns("index", Names.asList(columns)));
    }

    /** This index in {@code table}: with its generated name when it had none. */
    Index inTable(String table) {
        return name != null ? this : new Index(Identifiers.generated("ix", table, columns), columns);
    }

    /** The index name ({@code null} only before the index is part of a table). */
    public String name() {
        return name;
    }

    /** The indexed columns, in order. */
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Index)) {
            return false;
        }
        Index i = (Index) o;
        return Objects.equals(name, i.name) && columns.equals(i.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, columns);
    }

    @Override
    public String toString() {
        return "INDEX " + name + " " + Names.list(columns);
    }
}
