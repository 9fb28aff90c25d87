package dev.athanor.example.blog;

import dev.athanor.Engine;
import dev.athanor.example.blog.config.AppConfig;
import dev.athanor.testing.TestDatabase;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run of the example application for a test class: its users and blogs databases (new, uniquely named databases
 * on the shared servers, dropped afterwards; fresh in-memory databases on H2) and the application on a random port,
 * in this JVM.
 */
final class Deployment implements AutoCloseable {
    /** Each pool's cap in the tests: poolSize + maxOverflow. */
    static final int POOL_SIZE = 4;
    static final int MAX_OVERFLOW = 2;

    final TestDatabase usersDb;
    final TestDatabase blogsDb;
    final String usersName;
    final String blogsName;
    final BlogApplication app;

    Deployment(TestDatabase usersDb, TestDatabase blogsDb, String backend) throws Exception {
        this.usersDb = usersDb;
        this.blogsDb = blogsDb;
        usersDb.assumeAvailable();
        blogsDb.assumeAvailable();
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        this.usersName = ("athanor_web_users_" + suffix).toLowerCase(Locale.ROOT);
        this.blogsName = ("athanor_web_blogs_" + suffix).toLowerCase(Locale.ROOT);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", "0");
        env.put("ATHANOR_POOL", backend);
        env.put("USERS_DATABASE_URL", create(usersDb, usersName));
        env.put("BLOGS_DATABASE_URL", create(blogsDb, blogsName));
        for (String bind : new String[] {"USERS", "BLOGS"}) {
            env.put("ATHANOR_BINDS_" + bind + "_POOL_SIZE", String.valueOf(POOL_SIZE));
            env.put("ATHANOR_BINDS_" + bind + "_MAX_OVERFLOW", String.valueOf(MAX_OVERFLOW));
        }
        BlogApplication started;
        try {
            started = BlogApplication.start(AppConfig.fromEnvironment(env));
        } catch (Exception | Error e) {
            drop();
            throw e;
        }
        this.app = started;
    }

    /** Creates the database {@code name} and returns its URL. */
    private static String create(TestDatabase db, String name) {
        if (db == TestDatabase.H2) {
            return "h2:mem:" + name;
        }
        admin(db, "CREATE DATABASE " + name);
        return withDatabase(db.url(), name);
    }

    private static void admin(TestDatabase db, String sql) {
        try (Engine admin = Engine.builder(db.url()).pool("null").build()) {
            admin.useConnection(c -> {
                // CREATE/DROP DATABASE cannot run in a transaction on PostgreSQL.
                java.sql.Connection jdbc = c.jdbc();
                try (java.sql.Statement st = jdbc.createStatement()) {
                    jdbc.setAutoCommit(true);
                    st.execute(sql);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(sql + " failed on " + db + ": " + e.getMessage(), e);
                }
            });
        }
    }

    /** The server URL with its database replaced by {@code database} (the query, if any, kept). */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    Engine users() {
        return app.database().engines().get("users");
    }

    Engine blogs() {
        return app.database().engines().get("blogs");
    }

    /** The query counting the server's own connections to {@code database}; null on H2 (no server). */
    static String serverConnectionsSql(TestDatabase db, String database) {
        return switch (db) {
            case POSTGRESQL -> "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'";
            case MARIADB -> "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = '" + database + "'";
            default -> null;
        };
    }

    private void drop() {
        for (Object[] d : new Object[][] {{usersDb, usersName}, {blogsDb, blogsName}}) {
            TestDatabase db = (TestDatabase) d[0];
            if (db == TestDatabase.POSTGRESQL) {
                admin(db, "DROP DATABASE IF EXISTS " + d[1] + " WITH (FORCE)");
            } else if (db == TestDatabase.MARIADB) {
                admin(db, "DROP DATABASE IF EXISTS " + d[1]);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            drop();
        }
    }
}
