package dev.athanor.schema;

import dev.athanor.ConfigurationException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a table's elements into one canonical {@link Table}: column-level shortcuts ({@code primaryKey()},
 * {@code unique()}, {@code references()}) become table-level constraints and the column flags are then set from those
 * constraints, so that however a key was declared (or reflected) the result compares equal. Problems that need no
 * other table are reported here, all at once.
 */
final class TableBuilder {
    private TableBuilder() {
    }

    static Table build(String schema, String name, List<Column> columns, List<PrimaryKey> pks,
            List<UniqueConstraint> uniques, List<ForeignKey> fks, List<Index> indexes, List<CheckConstraint> checks) {
        List<String> problems = new ArrayList<>();
        if (columns.isEmpty()) {
            problems.add("a table needs at least one column");
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column c : columns) {
            if (byName.putIfAbsent(c.name().toLowerCase(Locale.ROOT), c) != null) {
                problems.add("column '" + c.name() + "' is defined twice");
            }
        }

        PrimaryKey pk = primaryKey(columns, pks, problems);
        if (pk != null) {
            checkColumns("primary key", pk.columns(), byName, problems);
        }

        List<UniqueConstraint> allUniques = new ArrayList<>(uniques);
        columns.stream().filter(Column::isUnique).forEach(c -> allUniques.add(UniqueConstraint.of(c.name())));
        List<UniqueConstraint> canonicalUniques = dedupe(allUniques);
        for (UniqueConstraint u : canonicalUniques) {
            checkColumns("unique constraint", u.columns(), byName, problems);
            if (pk != null && Table.lower(u.columns()).equals(Table.lower(pk.columns()))) {
                problems.add(u + " repeats the primary key");
            }
        }

        List<ForeignKey> allFks = new ArrayList<>(fks);
        for (Column c : columns) {
            if (c.referencedTable() != null) {
                allFks.add(ForeignKey.of(List.of(c.name()), c.referencedTable(), List.of(c.referencedColumn()))
                        .onDelete(c.onDelete()));
            }
        }
        List<ForeignKey> canonicalFks = dedupe(allFks);
        canonicalFks.forEach(f -> checkColumns("foreign key", f.columns(), byName, problems));

        Set<String> indexNames = new HashSet<>();
        for (Index i : indexes) {
            checkColumns("index " + i.name(), i.columns(), byName, problems);
            if (!indexNames.add(i.name().toLowerCase(Locale.ROOT))) {
                problems.add("index '" + i.name() + "' is defined twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("table '" + name + "': ", problems);
        }

        Set<String> pkCols = pk == null ? Set.of() : Table.lower(pk.columns());
        List<Column> canonical = new ArrayList<>();
        for (Column c : columns) {
            String key = c.name().toLowerCase(Locale.ROOT);
            boolean unique = canonicalUniques.stream()
                    .anyMatch(u -> u.columns().size() == 1 && u.columns().get(0).equalsIgnoreCase(key));
            ForeignKey fk = canonicalFks.stream()
                    .filter(f -> f.columns().size() == 1 && f.columns().get(0).equalsIgnoreCase(key))
                    .findFirst().orElse(null);
            canonical.add(c.inTable(pkCols.contains(key), unique, fk));
        }
        return Table.trusted(schema, name, canonical, pk, canonicalUniques, canonicalFks, indexes, dedupe(checks));
    }

    /** The explicit key, or the flagged columns in column order; both only when they name the same columns. */
    private static PrimaryKey primaryKey(List<Column> columns, List<PrimaryKey> pks, List<String> problems) {
        List<String> flagged = columns.stream().filter(Column::isPrimaryKey).map(Column::name).toList();
        if (pks.size() > 1) {
            problems.add("more than one PrimaryKey: " + pks);
        }
        if (pks.isEmpty()) {
            return flagged.isEmpty() ? null : PrimaryKey.of(flagged);
        }
        PrimaryKey pk = pks.get(0);
        if (!flagged.isEmpty() && !Table.lower(flagged).equals(Table.lower(pk.columns()))) {
            problems.add(pk + " disagrees with the columns marked primaryKey() " + flagged);
        }
        return pk;
    }

    private static void checkColumns(String what, List<String> cols, Map<String, Column> byName,
            List<String> problems) {
        for (String c : cols) {
            if (!byName.containsKey(c.toLowerCase(Locale.ROOT))) {
                problems.add(what + " names column '" + c + "', which the table does not have (it has "
                        + byName.values().stream().map(Column::name).toList() + ")");
            }
        }
    }

    /** Equal constraints once, keeping the first named one (a name is the only thing equality ignores). */
    private static <T> List<T> dedupe(List<T> items) {
        Map<T, T> kept = new LinkedHashMap<>();
        for (T item : items) {
            T old = kept.get(item);
            if (old == null || (name(old) == null && name(item) != null)) {
                kept.put(item, item);
            }
        }
        return new ArrayList<>(kept.values());
    }

    private static String name(Object constraint) {
        if (constraint instanceof UniqueConstraint) {
            return ((UniqueConstraint) constraint).name();
        }
        if (constraint instanceof ForeignKey) {
            return ((ForeignKey) constraint).name();
        }
        return constraint instanceof CheckConstraint ? ((CheckConstraint) constraint).name() : null;
    }
}
