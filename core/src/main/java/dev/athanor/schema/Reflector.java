package dev.athanor.schema;

import dev.athanor.AthanorException;
import dev.athanor.Engine;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reads tables through {@link DatabaseMetaData} ({@code getTables}, {@code getColumns}, {@code getPrimaryKeys},
 * {@code getImportedKeys}, {@code getIndexInfo}) on one connection, plus the few per-database queries of
 * {@link SchemaDialect}. Reported names are normalised with {@link Identifiers#normalize}.
 */
final class Reflector {
    private static final Set<String> TABLE_TYPES = Set.of("TABLE", "BASE TABLE", "PARTITIONED TABLE");

    private final Engine engine;
    private final Connection c;
    private final SchemaDialect d;
    private final DatabaseMetaData md;
    private final boolean upper;
    private final boolean lowerCase;
    private final String escape;

    Reflector(Engine engine, Connection c) {
        this.engine = engine;
        this.c = c;
        this.d = SchemaDialect.forReflection(engine.dialect());
        try {
            this.md = c.getMetaData();
            this.upper = md.storesUpperCaseIdentifiers();
            this.lowerCase = md.storesLowerCaseIdentifiers();
            String e = md.getSearchStringEscape();
            this.escape = e == null ? "" : e;
        } catch (SQLException e) {
            throw failure("reading database metadata", e);
        }
    }

    /** Where to look: the JDBC catalog and schema arguments, and the schema the model records. */
    private record Place(String catalog, String schema, String modelSchema) {
    }

    Table table(String schema, String name) {
        try {
            Place p = place(schema);
            String actual = find(p, name);
            if (actual == null) {
                throw new NoSuchTableException("[" + engine.name() + "] no table '" + name + "' in "
                        + (p.schema != null ? "schema " + p.schema : "database " + p.catalog));
            }
            return read(p, actual);
        } catch (SQLException e) {
            throw failure("reflecting table '" + name + "'", e);
        }
    }

    List<Table> tables(String schema, Predicate<String> filter) {
        try {
            Place p = place(schema);
            List<Table> out = new ArrayList<>();
            for (String actual : tableNames(p, "%")) {
                if (filter.test(Identifiers.normalize(actual, upper))) {
                    out.add(read(p, actual));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reflecting schema " + schema, e);
        }
    }

    /** Whether {@code table} exists (as written, or folded as the database folds unquoted names). */
    boolean exists(Table table) {
        try {
            return find(place(table.schema()), table.name()) != null;
        } catch (SQLException e) {
            throw failure("looking up table '" + table.displayName() + "'", e);
        }
    }

    private Place place(String schema) throws SQLException {
        if (d.schemaIsCatalog()) {
            return new Place(schema == null ? c.getCatalog() : schema, null, schema);
        }
        if (schema == null) {
            return new Place(null, c.getSchema(), null);
        }
        String folded = Identifiers.folded(schema, d.reservedWords(), upper, lowerCase);
        if (folded != null) {
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next()) {
                    if (folded.equals(rs.getString("TABLE_SCHEM"))) {
                        return new Place(null, folded, schema);
                    }
                }
            }
        }
        return new Place(null, schema, schema);
    }

    private String find(Place p, String name) throws SQLException {
        if (tableNames(p, name).contains(name)) {
            return name;
        }
        String folded = Identifiers.folded(name, d.reservedWords(), upper, lowerCase);
        return folded != null && !folded.equals(name) && tableNames(p, folded).contains(folded) ? folded : null;
    }

    /** Names of the tables matching {@code exactName} ({@code "%"}: all), exactly as the database reports them. */
    private List<String> tableNames(Place p, String exactName) throws SQLException {
        List<String> names = new ArrayList<>();
        boolean all = "%".equals(exactName);
        try (ResultSet rs = md.getTables(p.catalog, pattern(p.schema), all ? "%" : pattern(exactName), null)) {
            while (rs.next()) {
                String n = rs.getString("TABLE_NAME");
                String type = rs.getString("TABLE_TYPE");
                if ((all || exactName.equals(n)) && type != null && TABLE_TYPES.contains(type) && inPlace(p, rs)) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    private boolean inPlace(Place p, ResultSet rs) throws SQLException {
        return p.schema != null ? p.schema.equals(rs.getString("TABLE_SCHEM"))
                : p.catalog == null || p.catalog.equals(rs.getString("TABLE_CAT"));
    }

    private String pattern(String name) {
        if (name == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private Table read(Place p, String actual) throws SQLException {
        List<TableElement> elements = new ArrayList<>();
        Set<String> json = d.jsonColumns(c, p.catalog, actual);
        Map<Integer, Column> columns = new TreeMap<>();
        Set<String> rawColumns = new java.util.HashSet<>();
        try (ResultSet rs = md.getColumns(p.catalog, pattern(p.schema), pattern(actual), "%")) {
            while (rs.next()) {
                if (!actual.equals(rs.getString("TABLE_NAME")) || !inPlace(p, rs)) {
                    continue;
                }
                String raw = rs.getString("COLUMN_NAME");
                rawColumns.add(raw);
                Type type = d.reflectType(rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"), rs.getInt("COLUMN_SIZE"),
                        rs.getInt("DECIMAL_DIGITS"));
                if (json.contains(raw) && type.kind() == Type.Kind.TEXT) {
                    type = Type.JSON;
                }
                boolean auto = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"));
                Column col = Column.of(name(raw), type);
                if (!auto) {
                    col = col.defaultExpression(d.reflectDefault(rs.getString("COLUMN_DEF")));
                }
                if (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls) {
                    col = col.notNull();
                }
                columns.put(rs.getInt("ORDINAL_POSITION"), auto ? col.autoIncrement() : col);
            }
        }
        elements.addAll(columns.values());

        Map<Integer, String> pk = new TreeMap<>();
        String pkName = null;
        try (ResultSet rs = md.getPrimaryKeys(p.catalog, p.schema, actual)) {
            while (rs.next()) {
                pk.put(rs.getInt("KEY_SEQ"), name(rs.getString("COLUMN_NAME")));
                pkName = rs.getString("PK_NAME");
            }
        }
        if (!pk.isEmpty()) {
            PrimaryKey key = PrimaryKey.of(new ArrayList<>(pk.values()));
            elements.add(pkName == null || pkName.isBlank() ? key : key.named(name(pkName)));
        }

        List<ForeignKey> fks = foreignKeys(p, actual);
        elements.addAll(fks);
        elements.addAll(indexes(p, actual, fks, rawColumns, pk.values()));
        return Table.of(p.modelSchema, name(actual), elements);
    }

    private List<ForeignKey> foreignKeys(Place p, String actual) throws SQLException {
        List<ForeignKey> fks = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        String[] current = null;
        try (ResultSet rs = md.getImportedKeys(p.catalog, p.schema, actual)) {
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new String[] {rs.getString("FK_NAME"), rs.getString("PKTABLE_NAME"),
                    rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME"), rs.getString("KEY_SEQ"),
                    rs.getString("DELETE_RULE")});
            }
            // Drivers sort by referenced table; keep each key's columns together and in KEY_SEQ order.
            rows.sort(Comparator.comparing((String[] r) -> String.valueOf(r[0]) + "\u0000" + r[1])
                    .thenComparingInt(r -> Integer.parseInt(r[4])));
            for (String[] r : rows) {
                if (r[4].equals("1") && current != null) {
                    fks.add(foreignKey(current, from, to));
                    from.clear();
                    to.clear();
                }
                current = r;
                from.add(name(r[2]));
                to.add(name(r[3]));
            }
            if (current != null) {
                fks.add(foreignKey(current, from, to));
            }
        }
        return fks;
    }

    private ForeignKey foreignKey(String[] row, List<String> from, List<String> to) {
        ForeignKey fk = ForeignKey.of(List.copyOf(from), name(row[1]), List.copyOf(to))
                .onDelete(ReferentialAction.fromJdbc(row[5] == null ? -1 : Integer.parseInt(row[5])));
        // SQLite reports an unnamed key's name as '' rather than null.
        return row[0] == null || row[0].isBlank() ? fk : fk.named(name(row[0]));
    }

    private List<TableElement> indexes(Place p, String actual, List<ForeignKey> fks, Set<String> rawColumns,
            java.util.Collection<String> pkColumns) throws SQLException {
        Map<String, Map<Integer, String>> columnsByIndex = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        Set<String> expression = new java.util.HashSet<>();
        try (ResultSet rs = md.getIndexInfo(p.catalog, p.schema, actual, false, false)) {
            while (rs.next()) {
                String ix = rs.getString("INDEX_NAME");
                if (ix == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                String col = rs.getString("COLUMN_NAME");
                if (col == null || !rawColumns.contains(col)) {
                    expression.add(ix);
                }
                columnsByIndex.computeIfAbsent(ix, k -> new TreeMap<>()).put((int) rs.getShort("ORDINAL_POSITION"),
                        col == null ? "" : name(col));
                unique.put(ix, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        List<Index> plain = new ArrayList<>();
        columnsByIndex.forEach((ix, cols) -> {
            if (!unique.get(ix) && !expression.contains(ix)) {
                plain.add(Index.of(ix, cols.values().toArray(String[]::new)));
            }
        });
        Set<String> implicit = d.implicitIndexes(c, p.catalog, p.schema, actual, fks, plain);
        Set<String> pkSet = Table.lower(List.copyOf(pkColumns));
        List<TableElement> out = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, String>> e : columnsByIndex.entrySet()) {
            String ix = e.getKey();
            List<String> cols = List.copyOf(e.getValue().values());
            if (expression.contains(ix)) {
                continue; // expression indexes are not modelled
            }
            if (unique.get(ix)) {
                if (!Table.lower(cols).equals(pkSet)) {
                    out.add(UniqueConstraint.of(cols).named(name(ix)));
                }
            } else if (!implicit.contains(ix)) {
                out.add(Index.of(name(ix), cols.toArray(String[]::new)));
            }
        }
        return out;
    }

    private String name(String reported) {
        return Identifiers.normalize(reported, upper);
    }

    private AthanorException failure(String what, SQLException e) {
        return new AthanorException("[" + engine.name() + "] failed " + what + ": " + e.getMessage(), e);
    }
}
