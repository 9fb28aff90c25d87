package dev.athanor.schema;

import dev.athanor.ConfigurationException;
import dev.athanor.Dialect;
import dev.athanor.Engine;
import dev.athanor.internal.Arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of one database (SQLAlchemy's {@code MetaData}): define them in code and create or drop them all, or
 * reflect them from a live database. Make one per database, next to that database's {@link Engine}.
 *
 * <pre>{@code
 * MetaData meta = new MetaData();
 * Table users = meta.table("users",
 *         Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
 *         Column.of("name", Type.varchar(50)).notNull(),
 *         Column.of("email", Type.varchar(100)).notNull().unique());
 * meta.table("orders",
 *         Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
 *         Column.of("user_id", Type.BIGINT).notNull().references("users.id").onDelete(ReferentialAction.CASCADE),
 *         Index.on("user_id"));
 *
 * meta.toDdl(Dialect.POSTGRESQL);   // the statements, without running them
 * meta.createAll(engine);           // CREATE TABLE IF NOT EXISTS users, then orders
 * meta.dropAll(engine);             // DROP TABLE IF EXISTS orders, then users
 *
 * MetaData live = MetaData.reflect(engine, name -> name.startsWith("app_"));
 * }</pre>
 *
 * <p><b>Checks.</b> A table is checked when it is defined (repeated columns, constraints on missing columns, ...);
 * the whole MetaData is checked against the dialect before any DDL runs (foreign keys to a missing table or column or
 * to columns that are not a key, a type the database cannot express, auto-increment rules, repeated index names,
 * names too long). Each failure is one {@link ConfigurationException} listing every problem.
 *
 * <p><b>createAll</b> creates, in foreign-key order, the tables that do not exist yet (with their indexes) and leaves
 * existing tables alone, even when they differ; it runs in one transaction, which makes it all-or-nothing on
 * PostgreSQL (and SQLite). H2, MariaDB and MySQL commit each DDL statement, so there a failure part-way leaves the
 * tables created before it. Foreign keys that form a cycle between tables are added with ALTER TABLE after the
 * tables (SQLite, which cannot, is refused). <b>dropAll</b> drops the tables of this MetaData that exist, dependants
 * first.
 *
 * <p><b>Names.</b> Names are quoted only when needed: a lower-case name ({@code [a-z_][a-z0-9_]*}) that is not a
 * reserved word of the database at hand is written bare and so is case-insensitive; any other name (upper case,
 * spaces, {@code order}, {@code user} on PostgreSQL and H2, {@code lines} on MariaDB) is quoted and case-sensitive, so
 * hand-written SQL must quote it too. Reflection gives names back in the form they were written: H2 stores bare names
 * in upper case, and its {@code USERS} becomes {@code users} again (PostgreSQL folds to lower case, MariaDB keeps case,
 * so nothing changes there). The one name that does not come back as written is an all-upper-case name on H2
 * ({@code "USERS"} reflects as {@code users}). Lookups ({@link #find}, {@link Table#column}) ignore case.
 *
 * <p><b>Round trip.</b> A table created from code and reflected back is {@code equals} on PostgreSQL, H2 and MariaDB,
 * with these documented exceptions: check constraints are not reflected (compare with {@link Table#withoutChecks()});
 * constraint names other than index names are not compared; defaults are compared as SQL text after the light
 * normalisation of {@link Column#defaultSql()}, so an expression the database rewrites may differ; MariaDB reports
 * any {@code TINYINT(1)} as BOOLEAN and a foreign key declared without {@code ON DELETE} as RESTRICT; MySQL (not
 * MariaDB) stores UUID as {@code CHAR(36)}. Reflection also leaves out what the model cannot hold: expression indexes,
 * the predicate of a partial index, index sort order, the fractional-second precision of timestamps, and the indexes
 * H2 and MariaDB make by themselves for foreign keys.
 *
 * <p>Not thread-safe while tables are being added; once built (at start-up) it can be shared.
 */
public final class MetaData {
    private static final Logger LOG = LoggerFactory.getLogger(MetaData.class);

    private final String schema;
    private final Map<String, Table> tables = new LinkedHashMap<>();

    /** Tables in the connection's current schema. */
    public MetaData() {
        this.schema = null;
    }

    /** Tables in {@code schema} (a database on MariaDB/MySQL), which must exist; DDL names it explicitly. */
    public MetaData(String schema) {
        this.schema = Identifiers.require("schema", schema);
    }

    /**
     * Defines a table and adds it.
     *
     * @throws ConfigurationException when the MetaData already has a table of that name (ignoring case), or the
     *     table itself is wrong (see {@link Table#of})
     */
    public Table table(String name, TableElement... elements) {
        return add(Table.of(schema, name, List.of(Arguments.noNulls(elements, "elements"))));
    }

    /** Adds a table defined elsewhere (or reflected), placing it in this MetaData's schema. */
    public Table add(Table table) {
        Arguments.notNull(table, "table");
        Table placed = table.inSchema(schema);
        String key = TableSorter.key(placed.name());
        if (tables.containsKey(key)) {
            throw new ConfigurationException("table '" + placed.name() + "' is already defined in this MetaData");
        }
        tables.put(key, placed);
        return placed;
    }

    /** The table called {@code name} (ignoring case). */
    public Optional<Table> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(tables.get(TableSorter.key(name)));
    }

    /** The tables, in the order they were added. */
    public List<Table> tables() {
        return List.copyOf(tables.values());
    }

    /** The tables in creation order: each after the tables it references. */
    public List<Table> sortedTables() {
        return TableSorter.plan(tables()).order();
    }

    /** The schema of these tables, or {@code null} for the connection's current schema. */
    public String schema() {
        return schema;
    }

    /**
     * The statements {@link #createAll} would run on an empty database, without running them.
     *
     * @throws ConfigurationException for {@link Dialect#GENERIC}, or listing every problem of the definitions
     */
    public List<String> toDdl(Dialect dialect) {
        SchemaDialect d = SchemaDialect.forDdl(dialect);
        TableSorter.Plan plan = checkedPlan(d, "");
        return new DdlWriter(d).create(plan.order(), plan);
    }

    /** The statements {@link #dropAll} would run when every table exists, without running them. */
    public List<String> toDropDdl(Dialect dialect) {
        SchemaDialect d = SchemaDialect.forDdl(dialect);
        TableSorter.Plan plan = checkedPlan(d, "");
        return new DdlWriter(d).drop(plan.order(), plan);
    }

    /**
     * Creates the tables that do not exist yet, in foreign-key order, in one transaction; existing tables are left
     * alone. Returns the tables it created (empty when all existed).
     *
     * @throws ConfigurationException before any DDL runs, when the definitions are wrong for this database
     */
    public List<Table> createAll(Engine engine) {
        Arguments.notNull(engine, "engine");
        SchemaDialect d = SchemaDialect.forDdl(engine.dialect());
        TableSorter.Plan plan = checkedPlan(d, "[" + engine.name() + "] ");
        DdlWriter writer = new DdlWriter(d);
        return engine.inTransaction(c -> {
            Reflector r = new Reflector(engine, c.jdbc());
            List<Table> missing = new ArrayList<>();
            plan.order().stream().filter(t -> !r.exists(t)).forEach(missing::add);
            for (String sql : writer.create(missing, plan)) {
                c.execute(sql);
            }
            LOG.debug("[{}] createAll created {} of {} tables: {}", engine.name(), missing.size(),
                    plan.order().size(), names(missing));
            return List.copyOf(missing);
        });
    }

    /**
     * Drops the tables of this MetaData that exist, dependants first, in one transaction. Returns the tables it
     * dropped, in the order it dropped them. Tables not in this MetaData are never touched (a foreign key from one
     * of them makes the drop fail).
     *
     * @throws ConfigurationException before any DDL runs, when the definitions are wrong for this database
     */
    public List<Table> dropAll(Engine engine) {
        Arguments.notNull(engine, "engine");
        SchemaDialect d = SchemaDialect.forDdl(engine.dialect());
        TableSorter.Plan plan = checkedPlan(d, "[" + engine.name() + "] ");
        DdlWriter writer = new DdlWriter(d);
        return engine.inTransaction(c -> {
            Reflector r = new Reflector(engine, c.jdbc());
            List<Table> present = new ArrayList<>();
            plan.order().stream().filter(r::exists).forEach(present::add);
            for (String sql : writer.drop(present, plan)) {
                c.execute(sql);
            }
            List<Table> dropped = new ArrayList<>(present);
            java.util.Collections.reverse(dropped);
            LOG.debug("[{}] dropAll dropped {} of {} tables: {}", engine.name(), dropped.size(), plan.order().size(),
                    names(dropped));
            return List.copyOf(dropped);
        });
    }

    private TableSorter.Plan checkedPlan(SchemaDialect d, String prefix) {
        List<Table> all = tables();
        TableSorter.Plan plan = TableSorter.plan(all);
        SchemaValidator.check(all, plan, d, prefix);
        return plan;
    }

    private static List<String> names(List<Table> tables) {
        return tables.stream().map(Table::name).toList();
    }

    /** Every table of the connection's current schema: SQLAlchemy's {@code metadata.reflect(engine)}. */
    public static MetaData reflect(Engine engine) {
        return reflect(engine, null, name -> true);
    }

    /** The tables of the current schema whose (normalised) name passes {@code nameFilter}. */
    public static MetaData reflect(Engine engine, Predicate<String> nameFilter) {
        return reflect(engine, null, nameFilter);
    }

    /**
     * The tables of {@code schema} ({@code null}: the current one; a database on MariaDB/MySQL) whose normalised name
     * passes {@code nameFilter}. Only base tables are read, not views. Foreign keys to tables the filter left out stay
     * in the model; {@link #createAll} would refuse them until those tables are added.
     */
    public static MetaData reflect(Engine engine, String schema, Predicate<String> nameFilter) {
        Arguments.notNull(engine, "engine");
        Arguments.notNull(nameFilter, "nameFilter");
        List<Table> found = engine.withConnection(c -> new Reflector(engine, c.jdbc()).tables(schema, nameFilter));
        MetaData meta = schema == null ? new MetaData() : new MetaData(schema);
        found.forEach(meta::add);
        return meta;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetaData)) {
            return false;
        }
        MetaData m = (MetaData) o;
        return Objects.equals(schema, m.schema) && tables.equals(m.tables);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, tables);
    }

    @Override
    public String toString() {
        return "MetaData" + (schema == null ? "" : "(" + schema + ")") + " " + names(tables());
    }
}
