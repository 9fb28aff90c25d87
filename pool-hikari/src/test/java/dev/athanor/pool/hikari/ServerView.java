package dev.athanor.pool.hikari;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolListener;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * The database server's own view of one test's connections, through a separate admin connection: how many are open
 * and a way to kill them. PostgreSQL counts by a unique {@code application_name}; MariaDB by the connection ids the
 * engine opened (recorded at {@code onConnect}); H2 by the sessions of the test's own in-memory database. Never
 * counts or kills another test's (or another helper's) connections.
 */
abstract class ServerView implements AutoCloseable {
    protected final Connection admin;

    private ServerView(Connection admin) {
        this.admin = admin;
    }

    static ServerView of(TestDatabase db, String url) throws SQLException {
        Url parsed = Url.parse(url);
        Connection admin = DriverManager.getConnection(parsed.jdbcUrl(), parsed.driverProperties());
        switch (db) {
            case POSTGRESQL:
                return new Postgresql(admin, TestDatabase.uniqueName("athanor_hikari"));
            case MARIADB:
                return new Mariadb(admin);
            default:
                return new H2(admin);
        }
    }

    /** Adds what the view needs to recognise the engine's connections. */
    EngineBuilder configure(EngineBuilder builder) {
        return builder;
    }

    /** Called once the engine is built, before its first connection. */
    void attach(Engine engine) {
    }

    /** A URL of the same server naming a database that does not exist: every connect fails. */
    static String missingDatabaseUrl(TestDatabase db, String url) {
        if (db == TestDatabase.H2) {
            return "h2:mem:" + TestDatabase.uniqueName("athanor_missing") + ";IFEXISTS=TRUE";
        }
        return url.substring(0, url.lastIndexOf('/') + 1) + "athanor_no_such_database";
    }

    /** Connections of this test's engines open on the server now. */
    abstract int open() throws SQLException;

    /** Terminates every connection of this test's engines on the server. */
    abstract void killAll() throws SQLException;

    /** Waits (bounded) until the server reports a count that matches, and returns it. */
    int awaitOpen(IntPredicate expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int n = open();
        while (!expected.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(10); // the server drops a closed session shortly after the client closes it
            n = open();
        }
        return n;
    }

    void assertOpenSoon(int expected) throws Exception {
        assertThat(awaitOpen(n -> n == expected)).as("connections open on the server").isEqualTo(expected);
    }

    /** Runs an update on the admin connection (auto-commit). */
    void update(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** A single number from the admin connection. */
    long count(String sql) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }

    private static final class Postgresql extends ServerView {
        private final String applicationName;

        Postgresql(Connection admin, String applicationName) {
            super(admin);
            this.applicationName = applicationName;
        }

        @Override
        EngineBuilder configure(EngineBuilder builder) {
            return builder.connectArg("ApplicationName", applicationName);
        }

        @Override
        int open() throws SQLException {
            try (PreparedStatement ps = admin.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
                ps.setString(1, applicationName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }

        @Override
        void killAll() throws SQLException {
            try (PreparedStatement ps = admin.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
                ps.setString(1, applicationName);
                ps.executeQuery().close();
            }
        }
    }

    private static final class Mariadb extends ServerView {
        private final Set<Long> ids = ConcurrentHashMap.newKeySet();

        Mariadb(Connection admin) {
            super(admin);
        }

        @Override
        void attach(Engine engine) {
            engine.addListener(new PoolListener() {
                @Override
                public void onConnect(Connection physical) {
                    try {
                        ids.add(physical.unwrap(org.mariadb.jdbc.Connection.class).getThreadId());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        }

        @Override
        int open() throws SQLException {
            if (ids.isEmpty()) {
                return 0;
            }
            return (int) count("SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID IN (" + idList() + ")");
        }

        @Override
        void killAll() throws SQLException {
            if (ids.isEmpty()) {
                return;
            }
            List<Long> alive;
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN (" + idList() + ")")) {
                alive = new java.util.ArrayList<>();
                while (rs.next()) {
                    alive.add(rs.getLong(1));
                }
            }
            for (long id : alive) {
                update("KILL " + id);
            }
        }

        private String idList() {
            return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    }

    private static final class H2 extends ServerView {
        H2(Connection admin) {
            super(admin);
        }

        @Override
        int open() throws SQLException {
            return (int) count("SELECT count(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()");
        }

        @Override
        void killAll() throws SQLException {
            count("SELECT count(ABORT_SESSION(SESSION_ID)) FROM INFORMATION_SCHEMA.SESSIONS"
                    + " WHERE SESSION_ID <> SESSION_ID()");
        }
    }
}
