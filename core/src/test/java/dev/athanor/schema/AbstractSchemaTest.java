package dev.athanor.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.StatementException;
import dev.athanor.testing.TestDatabase;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * createAll / reflect / dropAll against a real database, written once and run on H2, PostgreSQL and MariaDB by a thin
 * subclass. Every table name starts with a prefix unique to the test, so tests on the shared servers never see each
 * other's tables; {@link #dropEverything()} removes what a test left behind.
 */
abstract class AbstractSchemaTest {
    protected Engine engine;
    protected String p;
    private final List<MetaData> created = new ArrayList<>();

    protected abstract TestDatabase database();

    /** A column type this database has but Athanor does not model, and the opaque type it reflects as. */
    protected abstract String vendorType();

    protected abstract Type vendorTypeReflected();

    @BeforeEach
    void start() {
        engine = Engine.builder(database().availableUrl()).build();
        p = TestDatabase.uniqueName("sc");
    }

    @AfterEach
    void dropEverything() {
        try {
            for (int i = created.size() - 1; i >= 0; i--) {
                created.get(i).dropAll(engine);
            }
        } finally {
            engine.close();
        }
    }

    private boolean hasTimeZoneType() {
        return database() != TestDatabase.MARIADB;
    }

    /** Four tables using every type, composite keys, a composite foreign key, defaults, indexes and a check. */
    protected MetaData model() {
        MetaData meta = new MetaData();
        List<TableElement> users = new ArrayList<>(List.of(
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("name", Type.varchar(50)).notNull().defaultValue("n/a"),
                Column.of("email", Type.varchar(100)).notNull().unique(),
                Column.of("active", Type.BOOLEAN).notNull().defaultValue(true),
                Column.of("score", Type.INTEGER).defaultValue(0),
                Column.of("level", Type.SMALLINT).defaultValue(-1),
                Column.of("balance", Type.decimal(12, 2)).defaultValue(new BigDecimal("1.50")),
                Column.of("ratio", Type.DOUBLE),
                Column.of("born", Type.DATE),
                Column.of("created_at", Type.TIMESTAMP).notNull().defaultExpression("CURRENT_TIMESTAMP"),
                Column.of("bio", Type.TEXT),
                Column.of("avatar", Type.BLOB),
                Column.of("token", Type.UUID),
                Column.of("prefs", Type.JSON),
                CheckConstraint.of("score >= 0")));
        if (hasTimeZoneType()) {
            users.add(Column.of("seen_at", Type.timestamp(true)));
        }
        meta.table(p + "_users", users.toArray(TableElement[]::new));
        meta.table(p + "_orders",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("user_id", Type.BIGINT).notNull().references(p + "_users.id")
                        .onDelete(ReferentialAction.CASCADE),
                Column.of("note", Type.varchar(200)),
                Index.on("note"));
        meta.table(p + "_lines",
                Column.of("order_id", Type.BIGINT),
                Column.of("line_no", Type.INTEGER),
                Column.of("sku", Type.varchar(20)).notNull(),
                PrimaryKey.of("order_id", "line_no"),
                ForeignKey.of("order_id", p + "_orders.id").onDelete(ReferentialAction.CASCADE),
                UniqueConstraint.of("order_id", "sku"),
                Index.on("sku", "line_no"));
        meta.table(p + "_line_notes",
                Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("order_id", Type.BIGINT).notNull(),
                Column.of("line_no", Type.INTEGER).notNull(),
                ForeignKey.of(List.of("order_id", "line_no"), p + "_lines", List.of("order_id", "line_no")));
        return meta;
    }

    private List<Table> createAll(MetaData meta) {
        created.add(meta);
        return meta.createAll(engine);
    }

    private MetaData reflectOurs() {
        return MetaData.reflect(engine, name -> name.startsWith(p + "_"));
    }

    private static MetaData withoutChecks(MetaData meta) {
        MetaData out = meta.schema() == null ? new MetaData() : new MetaData(meta.schema());
        meta.tables().forEach(t -> out.add(t.withoutChecks()));
        return out;
    }

    @Test
    void createdTablesReflectBackEqual() {
        MetaData meta = model();
        assertThat(createAll(meta)).extracting(Table::name)
                .containsExactly(p + "_users", p + "_orders", p + "_lines", p + "_line_notes");

        for (Table t : meta.tables()) {
            assertThat(Table.reflect(engine, t.name())).isEqualTo(t.withoutChecks());
        }
        assertThat(reflectOurs()).isEqualTo(withoutChecks(meta));
    }

    @Test
    void createdTablesWork() {
        createAll(model());
        engine.useTransaction(c -> {
            c.execute("INSERT INTO " + p + "_users (email) VALUES (:e)", Map.of("e", "a@x"));
            long id = c.execute("SELECT id FROM " + p + "_users").scalar(Long.class);
            c.execute("INSERT INTO " + p + "_orders (user_id) VALUES (?)", id);
        });
        engine.useConnection(c -> {
            var row = c.execute("SELECT name, active, score, created_at FROM " + p + "_users").one();
            assertThat(row.get("name")).isEqualTo("n/a");
            assertThat(row.get("score", Integer.class)).isZero();
            assertThat(row.get("created_at")).isNotNull();
        });
        engine.useConnection(c -> assertThatThrownBy(
                () -> c.execute("INSERT INTO " + p + "_users (email, score) VALUES ('b@x', -5)"))
                .as("the check constraint was created").isInstanceOf(StatementException.class));
        engine.useTransaction(c -> c.execute("DELETE FROM " + p + "_users"));
        long orders = engine.withConnection(c -> c.execute("SELECT count(*) FROM " + p + "_orders")
                .scalar(Long.class));
        assertThat(orders).as("ON DELETE CASCADE").isZero();
    }

    @Test
    void createAllTwiceLeavesExistingTablesAlone() {
        MetaData meta = model();
        assertThat(createAll(meta)).hasSize(4);
        engine.useTransaction(c -> c.execute("INSERT INTO " + p + "_users (email) VALUES ('a@x')"));

        assertThat(meta.createAll(engine)).isEmpty();
        long users = engine.withConnection(c -> c.execute("SELECT count(*) FROM " + p + "_users").scalar(Long.class));
        assertThat(users).isEqualTo(1);
        assertThat(reflectOurs()).isEqualTo(withoutChecks(meta));
    }

    @Test
    void createAllCreatesOnlyTheMissingTables() {
        MetaData meta = model();
        MetaData first = new MetaData();
        first.add(meta.find(p + "_users").orElseThrow());
        createAll(first);

        assertThat(createAll(meta)).extracting(Table::name)
                .containsExactly(p + "_orders", p + "_lines", p + "_line_notes");
    }

    @Test
    void dropAllDropsDependantsFirst() {
        MetaData meta = model();
        createAll(meta);
        assertThat(meta.dropAll(engine)).extracting(Table::name)
                .containsExactly(p + "_line_notes", p + "_lines", p + "_orders", p + "_users");
        assertThat(reflectOurs().tables()).isEmpty();
        assertThat(meta.dropAll(engine)).isEmpty();
    }

    @Test
    void foreignKeyCyclesAreAddedAfterTheTables() {
        MetaData meta = new MetaData();
        meta.table(p + "_a", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("b_id", Type.INTEGER).references(p + "_b.id"));
        meta.table(p + "_b", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("a_id", Type.INTEGER).references(p + "_a.id").onDelete(ReferentialAction.SET_NULL));
        meta.table(p + "_c", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("parent", Type.INTEGER).references(p + "_c.id"));
        assertThat(createAll(meta)).hasSize(3);
        assertThat(reflectOurs()).isEqualTo(meta);
        assertThat(meta.dropAll(engine)).hasSize(3);
        assertThat(reflectOurs().tables()).isEmpty();
    }

    @Test
    void quotedAndReservedNamesRoundTrip() {
        MetaData meta = new MetaData();
        meta.table(p + "_Mixed",
                Column.of("user", Type.varchar(10)).primaryKey(),
                Column.of("CamelCase", Type.INTEGER).notNull(),
                Column.of("order", Type.INTEGER),
                Index.of(p + "_Ix", "CamelCase", "order"));
        createAll(meta);
        assertThat(Table.reflect(engine, p + "_Mixed")).isEqualTo(meta.find(p + "_Mixed").orElseThrow());
    }

    @Test
    void reflectsTablesMadeWithRawDdl() {
        engine.useTransaction(c -> {
            c.execute("CREATE TABLE " + p + "_a (" + database().idColumn() + ", code VARCHAR(10) NOT NULL,"
                    + " qty INTEGER DEFAULT 1, price DECIMAL(8,3), extra " + vendorType() + ","
                    + " CONSTRAINT " + p + "_code_uq UNIQUE (code))");
            c.execute("CREATE TABLE " + p + "_b (a_id BIGINT NOT NULL, seq SMALLINT NOT NULL, label VARCHAR(30),"
                    + " PRIMARY KEY (a_id, seq), FOREIGN KEY (a_id) REFERENCES " + p + "_a (id) ON DELETE CASCADE)");
            c.execute("CREATE INDEX " + p + "_label_ix ON " + p + "_b (label)");
        });
        MetaData expected = new MetaData();
        expected.table(p + "_a",
                Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                Column.of("code", Type.varchar(10)).notNull().unique(),
                Column.of("qty", Type.INTEGER).defaultValue(1),
                Column.of("price", Type.decimal(8, 3)),
                Column.of("extra", vendorTypeReflected()));
        expected.table(p + "_b",
                Column.of("a_id", Type.BIGINT).primaryKey().references(p + "_a.id")
                        .onDelete(ReferentialAction.CASCADE),
                Column.of("seq", Type.SMALLINT).primaryKey(),
                Column.of("label", Type.varchar(30)),
                Index.of(p + "_label_ix", "label"));
        created.add(expected);

        MetaData reflected = reflectOurs();
        assertThat(reflected).isEqualTo(expected);
        assertThat(reflected.toDdl(engine.dialect())).as("a reflected model can write DDL again").isNotEmpty();
    }

    @Test
    void reflectingAMissingTableNamesIt() {
        assertThatThrownBy(() -> Table.reflect(engine, p + "_nope"))
                .isInstanceOf(NoSuchTableException.class)
                .hasMessageContaining(p + "_nope");
    }

    @Test
    void badDefinitionsRunNoDdlAtAll() {
        MetaData meta = new MetaData();
        meta.table(p + "_ok", Column.of("id", Type.INTEGER).primaryKey());
        meta.table(p + "_bad", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("x", Type.INTEGER).references(p + "_missing.id"));
        AtomicInteger checkouts = new AtomicInteger();
        engine.addListener(new PoolListener() {
            @Override
            public void onCheckout(java.sql.Connection physical) {
                checkouts.incrementAndGet();
            }
        });
        assertThatThrownBy(() -> meta.createAll(engine))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("[" + engine.name() + "]")
                .hasMessageContaining(p + "_missing");
        assertThat(checkouts).as("no connection was even taken").hasValue(0);
        assertThat(reflectOurs().tables()).isEmpty();
    }

    @Test
    void createAllIsAtomicOnlyWhereDdlIsTransactional() {
        MetaData meta = new MetaData();
        meta.table(p + "_first", Column.of("id", Type.INTEGER).primaryKey());
        meta.table(p + "_second", Column.of("id", Type.INTEGER).primaryKey(),
                Column.of("x", Type.opaque("no_such_type_here")));
        created.add(meta);
        assertThatThrownBy(() -> meta.createAll(engine)).isInstanceOf(StatementException.class);

        boolean transactional = database() == TestDatabase.POSTGRESQL;
        assertThat(reflectOurs().find(p + "_first").isPresent())
                .as("first table survives the failure only where DDL commits by itself")
                .isEqualTo(!transactional);
    }

    @Test
    void tablesCanLiveInAnotherSchema() {
        String schema = TestDatabase.uniqueName("scs");
        String create = database() == TestDatabase.MARIADB ? "CREATE DATABASE " : "CREATE SCHEMA ";
        String drop = database() == TestDatabase.MARIADB ? "DROP DATABASE " : "DROP SCHEMA ";
        engine.useTransaction(c -> c.execute(create + schema));
        try {
            MetaData meta = new MetaData(schema);
            meta.table(p + "_users", Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                    Column.of("name", Type.varchar(20)).notNull());
            meta.table(p + "_posts", Column.of("id", Type.BIGINT).primaryKey().autoIncrement(),
                    Column.of("user_id", Type.BIGINT).references(p + "_users.id"), Index.on("user_id"));
            assertThat(meta.createAll(engine)).hasSize(2);

            assertThat(MetaData.reflect(engine, schema, n -> n.startsWith(p))).isEqualTo(meta);
            assertThat(Table.reflect(engine, schema, p + "_posts")).isEqualTo(meta.find(p + "_posts").orElseThrow());
            assertThat(reflectOurs().tables()).as("nothing in the current schema").isEmpty();
            assertThat(meta.dropAll(engine)).hasSize(2);
        } finally {
            engine.useTransaction(c -> c.execute(drop + schema + (database() == TestDatabase.MARIADB ? ""
                    : " CASCADE")));
        }
    }

    /**
     * A way this database may be set to read string literals: {@code set} runs on every new connection (null for
     * the server's default), {@code backslashEscapes} says whether a backslash then escapes inside {@code '...'}.
     */
    protected record LiteralMode(String set, boolean backslashEscapes) {
    }

    /** The literal modes a DDL session of this database can be in; each is tested. */
    protected List<LiteralMode> literalModes() {
        return List.of(new LiteralMode(null, false));
    }

    /** Defaults that a writer quoting only {@code '} gets wrong where a backslash escapes. */
    private static final List<String> HOSTILE_DEFAULTS = List.of("\\', extra INT, -- ",
            "C:\\temp\\new", "ends with \\", "it's \\'quoted\\'", "tab\tnew\nline");

    @Test
    void stringDefaultsAreStoredAsWrittenWhateverTheLiteralMode() {
        for (LiteralMode mode : literalModes()) {
            // The server's default mode uses the test's engine (an in-memory H2 exists only for it).
            Engine ddl = mode.set() == null ? engine : Engine.builder(database().availableUrl()).build();
            try {
                if (mode.set() != null) {
                    ddl.addListener(new PoolListener() {
                        @Override
                        public void onConnect(java.sql.Connection physical) {
                            try (var st = physical.createStatement()) {
                                st.execute(mode.set());
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
                }
                String oneBackslash = ddl.withConnection(c -> c.execute("SELECT '\\\\' AS s").scalar(String.class));
                assertThat(oneBackslash).as("the DDL session is in the mode under test: %s", mode)
                        .hasSize(mode.backslashEscapes() ? 1 : 2);

                for (int i = 0; i < HOSTILE_DEFAULTS.size(); i++) {
                    // One createAll per table, so that a literal breaking the DDL does not hide an earlier injection.
                    MetaData meta = new MetaData();
                    Table t = meta.table(p + "_d" + (mode.backslashEscapes() ? "e" : "s") + i,
                            Column.of("id", Type.INTEGER).primaryKey(),
                            Column.of("v", Type.varchar(100)).defaultValue(HOSTILE_DEFAULTS.get(i)));
                    created.add(meta);
                    meta.createAll(ddl);

                    assertThat(Table.reflect(engine, t.name())).as("%s reflects back unchanged (no column added)", t)
                            .isEqualTo(t);
                    engine.useTransaction(c -> c.execute("INSERT INTO " + t.name() + " (id) VALUES (1)"));
                    String stored = engine.withConnection(c -> c.execute("SELECT v FROM " + t.name())
                            .scalar(String.class));
                    assertThat(stored).as("%s in %s", t.name(), mode).isEqualTo(HOSTILE_DEFAULTS.get(i));
                }
            } finally {
                if (ddl != engine) {
                    ddl.close();
                }
            }
        }
    }
}
