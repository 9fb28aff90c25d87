package dev.athanor.junit5;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.testing.TestDatabase;

/** Test tables made and dropped outside any test transaction, with an ordinary engine. */
final class Tables {
    private Tables() {
    }

    /**
     * The URL of {@code db} for a test class: H2 gets a named in-memory database of its own that outlives its
     * connections, so that every engine of the class reaches it.
     */
    static String url(TestDatabase db) {
        return db == TestDatabase.H2 ? "jdbc:h2:mem:" + TestDatabase.uniqueName("rollback") + ";DB_CLOSE_DELAY=-1"
                : db.availableUrl();
    }

    /** Creates an {@code (id, name)} table named {@code table} on {@code url}. */
    static void create(TestDatabase db, String url, String table) {
        try (Engine e = Engine.create(url)) {
            e.useTransaction(c -> c.execute("CREATE TABLE " + table + " (" + db.idColumn() + ", name VARCHAR(50))"));
        }
    }

    static void drop(String url, String table) {
        try (Engine e = Engine.create(url)) {
            e.useTransaction(c -> c.execute("DROP TABLE IF EXISTS " + table));
        }
    }

    /** Rows in {@code table}, as an ordinary connection sees them (committed rows only). */
    static long count(String url, String table) {
        try (Engine e = Engine.create(url); Connection c = e.connect()) {
            return c.execute("SELECT count(*) FROM " + table).scalar(Long.class);
        }
    }

    /** The number of rows {@code c} sees in {@code table}. */
    static long count(Connection c, String table) {
        return c.execute("SELECT count(*) FROM " + table).scalar(Long.class);
    }

    /** True when {@code table} exists on {@code url}. */
    static boolean exists(String url, String table) {
        try (Engine e = Engine.create(url); Connection c = e.connect()) {
            return c.execute("SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = ?",
                    table.toLowerCase(java.util.Locale.ROOT)).scalar(Long.class) > 0;
        }
    }
}
