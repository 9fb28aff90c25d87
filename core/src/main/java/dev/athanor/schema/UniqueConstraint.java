package dev.athanor.schema;

import java.util.List;
import java.util.Objects;

/**
 * A {@code UNIQUE} constraint over one or more columns. {@code Column.unique()} is the single-column shortcut.
 *
 * <pre>{@code
 * meta.table("accounts",
 *         Column.of("tenant", Type.varchar(20)).notNull(),
 *         Column.of("login", Type.varchar(50)).notNull(),
 *         UniqueConstraint.of("tenant", "login").named("uq_accounts_login"));
 * }</pre>
 *
 * <p>A unique index is the same thing for Athanor: reflection reports every unique index (other than the primary
 * key's) as a unique constraint, because MariaDB and MySQL do not tell them apart. Equality ignores the name.
 */
public final class UniqueConstraint implements TableElement {
    private final String name;
    private final List<String> columns;

    private UniqueConstraint(String name, List<String> columns) {
        this.name = name;
        this.columns = columns;
    }

    /**
     * A unique constraint over {@code columns}.
     *
     * @throws dev.athanor.ConfigurationException when no column, a blank one or a repeated one is given
     */
    public static UniqueConstraint of(String... columns) {
        return of(Names.asList(columns));
    }

    /** A unique constraint over {@code columns}. */
    public static UniqueConstraint of(List<String> columns) {
        return new UniqueConstraint(null, Names.columns("unique constraint", columns));
    }

    /** This constraint with a name. */
    public UniqueConstraint named(String name) {
        return new UniqueConstraint(Identifiers.require("unique constraint", name), columns);
    }

    /** The constraint name, or {@code null} when the database chooses it. */
    public String name() {
        return name;
    }

    /** The constrained columns, in order. */
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UniqueConstraint && columns.equals(((UniqueConstraint) o).columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns);
    }

    @Override
    public String toString() {
        return "UNIQUE " + Names.list(columns);
    }
}
