package dev.athanor.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes CREATE/DROP statements for checked tables in a dialect; knows nothing about connections. */
final class DdlWriter {
    private final SchemaDialect d;

    DdlWriter(SchemaDialect d) {
        this.d = d;
    }

    /**
     * CREATE TABLE (and CREATE INDEX) for {@code tables}, which are in dependency order, then ALTER TABLE for their
     * foreign keys that are part of a cycle.
     */
    List<String> create(List<Table> tables, TableSorter.Plan plan) {
        List<String> out = new ArrayList<>();
        for (Table t : tables) {
            out.add(createTable(t, plan.deferredOf(t)));
            if (!d.inlineIndexes()) {
                for (Index i : t.indexes()) {
                    out.add("CREATE INDEX IF NOT EXISTS " + d.indexName(t.schema(), i.name()) + " ON "
                            + table(t) + " " + columns(i.columns()));
                }
            }
        }
        for (Table t : tables) {
            for (ForeignKey fk : plan.deferredOf(t)) {
                out.add("ALTER TABLE " + table(t) + " ADD " + foreignKey(t, fk));
            }
        }
        return out;
    }

    /** For {@code tables} in dependency order: drop cycle foreign keys, then the tables, dependants first. */
    List<String> drop(List<Table> tables, TableSorter.Plan plan) {
        List<String> out = new ArrayList<>();
        for (Table t : tables) {
            for (ForeignKey fk : plan.deferredOf(t)) {
                out.add(d.dropForeignKeySql(table(t), fk.name()));
            }
        }
        for (int i = tables.size() - 1; i >= 0; i--) {
            out.add("DROP TABLE IF EXISTS " + table(tables.get(i)));
        }
        return out;
    }

    String createTable(Table t, List<ForeignKey> deferred) {
        List<String> parts = new ArrayList<>();
        t.columns().forEach(c -> parts.add(d.columnSql(c)));
        t.primaryKey().filter(pk -> d.tableLevelPrimaryKey(t))
                .ifPresent(pk -> parts.add(constraint(pk.name()) + "PRIMARY KEY " + columns(pk.columns())));
        for (UniqueConstraint u : t.uniqueConstraints()) {
            parts.add(constraint(u.name()) + "UNIQUE " + columns(u.columns()));
        }
        Set<ForeignKey> later = Set.copyOf(deferred);
        for (ForeignKey fk : t.foreignKeys()) {
            if (!later.contains(fk)) {
                parts.add(foreignKey(t, fk));
            }
        }
        for (CheckConstraint ck : t.checks()) {
            parts.add(constraint(ck.name()) + "CHECK (" + ck.sql() + ")");
        }
        if (d.inlineIndexes()) {
            for (Index i : t.indexes()) {
                parts.add("INDEX " + d.quote(i.name()) + " " + columns(i.columns()));
            }
        }
        return "CREATE TABLE IF NOT EXISTS " + table(t) + " (\n    " + String.join(",\n    ", parts) + "\n)";
    }

    private String foreignKey(Table t, ForeignKey fk) {
        String sql = constraint(fk.name()) + "FOREIGN KEY " + columns(fk.columns()) + " REFERENCES "
                + d.qualified(t.schema(), fk.referencedTable()) + " " + columns(fk.referencedColumns());
        if (fk.onDelete() != ReferentialAction.NO_ACTION || d.writesNoAction()) {
            sql += " ON DELETE " + fk.onDelete().sql();
        }
        return sql;
    }

    private String constraint(String name) {
        return name == null ? "" : "CONSTRAINT " + d.quote(name) + " ";
    }

    private String table(Table t) {
        return d.qualified(t.schema(), t.name());
    }

    private String columns(List<String> names) {
        return names.stream().map(d::quote).collect(Collectors.joining(", ", "(", ")"));
    }
}
