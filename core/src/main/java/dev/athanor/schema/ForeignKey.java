package dev.athanor.schema;

import dev.athanor.ConfigurationException;
import dev.athanor.internal.Arguments;

import java.util.List;
import java.util.Objects;

/**
 * A foreign key from columns of this table to columns of another table in the same {@link MetaData}.
 * {@code Column.references("users.id")} is the single-column shortcut.
 *
 * <pre>{@code
 * meta.table("order_lines",
 *         Column.of("order_id", Type.BIGINT).primaryKey(),
 *         Column.of("line_no", Type.INTEGER).primaryKey(),
 *         Column.of("sku", Type.varchar(20)).notNull(),
 *         ForeignKey.of("order_id", "orders.id").onDelete(ReferentialAction.CASCADE),
 *         ForeignKey.of(List.of("sku"), "products", List.of("sku")).named("fk_lines_product"));
 * }</pre>
 *
 * <p>The referenced columns must be the primary key or a unique constraint of the referenced table (checked before
 * any DDL runs). Equality ignores the name.
 */
public final class ForeignKey implements TableElement {
    private final String name;
    private final List<String> columns;
    private final String refTable;
    private final List<String> refColumns;
    private final ReferentialAction onDelete;

    private ForeignKey(String name, List<String> columns, String refTable, List<String> refColumns,
            ReferentialAction onDelete) {
        this.name = name;
        this.columns = columns;
        this.refTable = refTable;
        this.refColumns = refColumns;
        this.onDelete = onDelete;
    }

    /**
     * A foreign key from {@code columns} to {@code refColumns} of {@code refTable}, pairwise.
     *
     * @throws ConfigurationException when a list is empty or the two lists differ in length
     */
    public static ForeignKey of(List<String> columns, String refTable, List<String> refColumns) {
        List<String> from = Names.columns("foreign key", columns);
        Identifiers.require("referenced table", refTable);
        List<String> to = Names.columns("foreign key target " + refTable, refColumns);
        if (from.size() != to.size()) {
            throw new ConfigurationException("foreign key " + Names.list(from) + " -> " + refTable + Names.list(to)
                    + " pairs " + from.size() + " column(s) with " + to.size());
        }
        return new ForeignKey(null, from, refTable, to, ReferentialAction.NO_ACTION);
    }

    /**
     * A single-column foreign key from {@code column} to {@code "table.column"}.
     *
     * @throws ConfigurationException unless {@code target} is {@code table.column}
     */
    public static ForeignKey of(String column, String target) {
        Column c = Column.of(Identifiers.require("foreign key column", column), Type.INTEGER).references(target);
        return of(List.of(column), c.referencedTable(), List.of(c.referencedColumn()));
    }

    /** This foreign key with an on-delete action. */
    public ForeignKey onDelete(ReferentialAction action) {
        return new ForeignKey(name, columns, refTable, refColumns, Arguments.notNull(action, "action"));
    }

    /** This foreign key with a constraint name. */
    public ForeignKey named(String name) {
        return new ForeignKey(Identifiers.require("foreign key", name), columns, refTable, refColumns, onDelete);
    }

    /** The constraint name, or {@code null} when the database chooses it. */
    public String name() {
        return name;
    }

    /** The referencing columns of this table. */
    public List<String> columns() {
        return columns;
    }

    /** The referenced table. */
    public String referencedTable() {
        return refTable;
    }

    /** The referenced columns, paired with {@link #columns()}. */
    public List<String> referencedColumns() {
        return refColumns;
    }

    /** What happens to referencing rows on delete. */
    public ReferentialAction onDelete() {
        return onDelete;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ForeignKey)) {
            return false;
        }
        ForeignKey f = (ForeignKey) o;
        return columns.equals(f.columns) && refTable.equals(f.refTable) && refColumns.equals(f.refColumns)
                && onDelete == f.onDelete;
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, refTable, refColumns, onDelete);
    }

    @Override
    public String toString() {
        return "FOREIGN KEY " + Names.list(columns) + " REFERENCES " + refTable + Names.list(refColumns)
                + (onDelete == ReferentialAction.NO_ACTION ? "" : " ON DELETE " + onDelete.sql());
    }
}
