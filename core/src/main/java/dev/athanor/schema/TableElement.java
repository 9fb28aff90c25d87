package dev.athanor.schema;

/**
 * What {@link MetaData#table(String, TableElement...)} takes: {@link Column}s and table-level constraints
 * ({@link PrimaryKey}, {@link UniqueConstraint}, {@link ForeignKey}, {@link CheckConstraint}) and {@link Index}es, as
 * in SQLAlchemy's {@code Table("t", metadata, Column(...), Index(...))}.
 *
 * <pre>{@code
 * meta.table("order_lines",
 *         Column.of("order_id", Type.BIGINT),
 *         Column.of("line_no", Type.INTEGER),
 *         Column.of("sku", Type.varchar(20)).notNull(),
 *         PrimaryKey.of("order_id", "line_no"),
 *         ForeignKey.of("order_id", "orders.id").onDelete(ReferentialAction.CASCADE),
 *         Index.on("sku"));
 * }</pre>
 */
public sealed interface TableElement permits Column, PrimaryKey, UniqueConstraint, ForeignKey, Index, CheckConstraint {
}
