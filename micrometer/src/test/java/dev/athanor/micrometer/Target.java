package dev.athanor.micrometer;

import dev.athanor.Connection;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database the metrics workload runs on, new for each run: one whose connects fail until {@link #makeAvailable()}
 * (a stub database that is down; on H2, PostgreSQL and MariaDB a database that does not exist yet), and a way to kill
 * one connection on the server side, so that its next pre-ping fails.
 */
abstract class Target implements AutoCloseable {
    /** The Athanor URL of the database. */
    abstract String url();

    /** From now on connects succeed. */
    abstract void makeAvailable();

    /** The server's id of the session behind {@code c}. */
    abstract long serverId(Connection c);

    /** Kills the server session {@code id}; the client finds out at its next use. */
    abstract void kill(long id);

    @Override
    public void close() {
    }

    static Target of(String name) {
        return switch (name) {
            case "stub" -> new Stub();
            case "h2" -> new H2();
            case "postgresql" -> new Server(TestDatabase.POSTGRESQL, "SELECT pg_backend_pid()",
                    "SELECT pg_terminate_backend(%d, 5000)", "DROP DATABASE IF EXISTS %s WITH (FORCE)");
            case "mariadb" -> new Server(TestDatabase.MARIADB, "SELECT CONNECTION_ID()", "KILL %d",
                    "DROP DATABASE IF EXISTS %s");
            default -> throw new IllegalArgumentException("unknown target '" + name
                    + "'; valid: stub, h2, postgresql, mariadb");
        };
    }

    static String uniqueName() {
        return ("athanor_micrometer_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
                .toLowerCase(Locale.ROOT);
    }

    private static final class Stub extends Target {
        private final StubDatabase db = StubDatabase.fresh().down(true);

        @Override
        String url() {
            return db.url();
        }

        @Override
        void makeAvailable() {
            db.down(false);
        }

        @Override
        long serverId(Connection c) {
            return 0; // the stub kills every open connection at once; the workload has one open then
        }

        @Override
        void kill(long id) {
            db.killAll();
        }
    }

    /** Runs SQL on an admin connection of its own, in auto-commit. */
    private abstract static class Admin extends Target {
        java.sql.Connection admin;

        void open(String url) {
            Url parsed = Url.parse(url);
            try {
                admin = DriverManager.getConnection(parsed.jdbcUrl(), parsed.driverProperties());
                admin.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException("the test's admin connection to " + parsed + " failed", e);
            }
        }

        void run(String sql) {
            try (Statement st = admin.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (admin != null) {
                    admin.close();
                }
            } catch (SQLException ignored) {
                // The admin connection only ran the test's statements.
            }
        }
    }

    /** An in-memory database that opens only once it exists ({@code IFEXISTS}); the admin connection creates it. */
    private static final class H2 extends Admin {
        private final String name = uniqueName();

        @Override
        String url() {
            return "jdbc:h2:mem:" + name + ";IFEXISTS=TRUE;DB_CLOSE_DELAY=-1";
        }

        @Override
        void makeAvailable() {
            open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        }

        @Override
        long serverId(Connection c) {
            return c.execute("SELECT SESSION_ID()").scalar(Long.class);
        }

        @Override
        void kill(long id) {
            run("SELECT ABORT_SESSION(" + id + ")");
        }

        @Override
        public void close() {
            if (admin != null) {
                run("SHUTDOWN"); // the in-memory database goes with it
            }
            super.close();
        }
    }

    /** A database of its own on a shared server, created by {@link #makeAvailable()} and dropped at the end. */
    private static final class Server extends Admin {
        private final TestDatabase db;
        private final String idSql;
        private final String killSql;
        private final String dropSql;
        private final String name = uniqueName();

        Server(TestDatabase db, String idSql, String killSql, String dropSql) {
            this.db = db;
            this.idSql = idSql;
            this.killSql = killSql;
            this.dropSql = dropSql;
            db.assumeAvailable();
            open(db.url());
        }

        @Override
        String url() {
            String base = db.url();
            int query = base.indexOf('?');
            String path = query < 0 ? base : base.substring(0, query);
            return path.substring(0, path.lastIndexOf('/') + 1) + name + (query < 0 ? "" : base.substring(query));
        }

        @Override
        void makeAvailable() {
            run("CREATE DATABASE " + name);
        }

        @Override
        long serverId(Connection c) {
            return c.execute(idSql).scalar(Long.class);
        }

        @Override
        void kill(long id) {
            run(String.format(Locale.ROOT, killSql, id));
        }

        @Override
        public void close() {
            try {
                run(String.format(Locale.ROOT, dropSql, name));
            } finally {
                super.close();
            }
        }
    }
}
