package dev.athanor.schema;

import dev.athanor.ConfigurationException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that need the whole {@link MetaData} or a dialect, run before any DDL: every type expressible, foreign
 * keys pointing at a table of the MetaData and at its primary key or a unique constraint, auto-increment rules, index
 * names unique, names within the database's length limit, cycles only where ALTER TABLE can close them. All problems
 * are reported in one {@link ConfigurationException}.
 */
final class SchemaValidator {
    private SchemaValidator() {
    }

    static void check(List<Table> tables, TableSorter.Plan plan, SchemaDialect d, String prefix) {
        List<String> problems = new ArrayList<>();
        Map<String, Table> byName = new HashMap<>();
        tables.forEach(t -> byName.put(TableSorter.key(t.name()), t));
        Map<String, String> indexOwners = new HashMap<>();
        for (Table t : tables) {
            String where = "table '" + t.name() + "'";
            checkLength(where, t.name(), d, problems);
            checkColumns(t, where, d, problems);
            d.validate(t, problems);
            for (ForeignKey fk : t.foreignKeys()) {
                checkForeignKey(t, fk, byName, tables, problems);
                checkLength(where + " foreign key", fk.name(), d, problems);
            }
            t.uniqueConstraints().forEach(u -> checkLength(where + " unique constraint", u.name(), d, problems));
            t.checks().forEach(c -> checkLength(where + " check constraint", c.name(), d, problems));
            t.primaryKey().ifPresent(pk -> checkLength(where + " primary key", pk.name(), d, problems));
            for (Index i : t.indexes()) {
                checkLength(where + " index", i.name(), d, problems);
                String owner = indexOwners.putIfAbsent(i.name().toLowerCase(Locale.ROOT), t.name());
                if (owner != null) {
                    problems.add("index name '" + i.name() + "' is used by tables '" + owner + "' and '" + t.name()
                            + "'; index names are per schema");
                }
            }
        }
        if (!d.supportsAlterForeignKey()) {
            for (List<String> cycle : plan.cycles()) {
                problems.add("foreign keys form a cycle between tables " + cycle + "; " + d.dialect()
                        + " cannot add foreign keys after CREATE TABLE, so this cycle cannot be created");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(prefix + "invalid schema for " + d.dialect() + ": ", problems);
        }
    }

    private static void checkColumns(Table t, String where, SchemaDialect d, List<String> problems) {
        int autoIncrements = 0;
        for (Column c : t.columns()) {
            String col = where + " column '" + c.name() + "': ";
            checkLength(where + " column", c.name(), d, problems);
            try {
                d.typeSql(c.type());
            } catch (ConfigurationException e) {
                problems.add(col + e.getMessage());
            }
            if (c.isAutoIncrement()) {
                autoIncrements++;
                if (!c.type().isInteger()) {
                    problems.add(col + "only INTEGER, BIGINT or SMALLINT columns can auto-increment, not "
                            + c.type());
                }
                if (!c.isPrimaryKey()) {
                    problems.add(col + "an auto-increment column must be part of the primary key");
                }
                if (c.defaultSql() != null) {
                    problems.add(col + "an auto-increment column cannot also have DEFAULT " + c.defaultSql());
                }
            }
        }
        if (autoIncrements > 1) {
            problems.add(where + ": has " + autoIncrements + " auto-increment columns; at most one is allowed");
        }
    }

    private static void checkForeignKey(Table t, ForeignKey fk, Map<String, Table> byName, List<Table> tables,
            List<String> problems) {
        String what = "table '" + t.name() + "': " + fk;
        Table target = byName.get(TableSorter.key(fk.referencedTable()));
        if (target == null) {
            problems.add(what + " references table '" + fk.referencedTable() + "', which this MetaData does not"
                    + " have (it has " + tables.stream().map(Table::name).toList() + ")");
            return;
        }
        boolean missing = false;
        for (String rc : fk.referencedColumns()) {
            if (target.column(rc).isEmpty()) {
                problems.add(what + " references column '" + target.name() + "." + rc + "', which does not exist"
                        + " (it has " + target.columns().stream().map(Column::name).toList() + ")");
                missing = true;
            }
        }
        if (missing) {
            return;
        }
        Set<String> refs = Table.lower(fk.referencedColumns());
        Optional<PrimaryKey> pk = target.primaryKey();
        boolean keyed = pk.isPresent() && Table.lower(pk.get().columns()).equals(refs)
                || target.uniqueConstraints().stream().anyMatch(u -> Table.lower(u.columns()).equals(refs));
        if (!keyed) {
            problems.add(what + ": " + target.name() + Names.list(fk.referencedColumns())
                    + " is neither the primary key nor a unique constraint of '" + target.name() + "'");
        }
    }

    private static void checkLength(String what, String name, SchemaDialect d, List<String> problems) {
        if (name != null && name.length() > d.maxIdentifierLength()) {
            problems.add(what + " name '" + name + "' is " + name.length() + " characters; " + d.dialect()
                    + " keeps at most " + d.maxIdentifierLength());
        }
    }
}
