package dev.athanor.schema;

import java.util.Objects;

/**
 * A {@code CHECK} constraint, written as SQL.
 *
 * <pre>{@code
 * meta.table("products",
 *         Column.of("price", Type.decimal(10, 2)).notNull(),
 *         CheckConstraint.of("price >= 0").named("ck_products_price"));
 * }</pre>
 *
 * <p>Check constraints are created but <em>not reflected</em>: JDBC metadata has no call for them, and every
 * database rewrites the expression ({@code price >= 0} comes back as {@code (price >= (0)::numeric)} from PostgreSQL
 * and {@code `price` >= 0} from MariaDB). Compare a reflected table with {@link Table#withoutChecks()} of the
 * defined one. Equality compares the SQL text and ignores the name.
 */
public final class CheckConstraint implements TableElement {
    private final String name;
    private final String sql;

    private CheckConstraint(String name, String sql) {
        this.name = name;
        this.sql = sql;
    }

    /**
     * A check constraint with the condition {@code sql}.
     *
     * @throws dev.athanor.ConfigurationException when {@code sql} is blank
     */
    public static CheckConstraint of(String sql) {
        return new CheckConstraint(null, Identifiers.require("check constraint expression (the SQL)", sql).trim());
    }

    /** This constraint with a name. */
    public CheckConstraint named(String name) {
        return new CheckConstraint(Identifiers.require("check constraint", name), sql);
    }

    /** The constraint name, or {@code null} when the database chooses it. */
    public String name() {
        return name;
    }

    /** The condition, as SQL. */
    public String sql() {
        return sql;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckConstraint && sql.equals(((CheckConstraint) o).sql);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sql);
    }

    @Override
    public String toString() {
        return "CHECK (" + sql + ")";
    }
}
