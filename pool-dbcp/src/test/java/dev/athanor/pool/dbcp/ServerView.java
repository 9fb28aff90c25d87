package dev.athanor.pool.dbcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The database server's own view of connections, through an admin JDBC connection of its own: which of a test's
 * physical connections are open, and killing one. Connections are identified by the server-side ids the test
 * recorded (the servers are shared with other test runs): {@code pg_stat_activity} (filtered by the engine's unique
 * {@code application_name} as well), MariaDB's {@code PROCESSLIST}, H2's {@code INFORMATION_SCHEMA.SESSIONS}.
 */
final class ServerView implements AutoCloseable {
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final TestDatabase db;
    private final String applicationName;
    private final java.sql.Connection admin;

    ServerView(TestDatabase db, Url url, String applicationName) throws SQLException {
        this.db = db;
        this.applicationName = applicationName;
        this.admin = DriverManager.getConnection(url.jdbcUrl(), url.driverProperties());
        admin.setAutoCommit(true);
    }

    /** The server-side id of the physical connection behind {@code c}. */
    long idOf(Connection c) {
        String sql = switch (db) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MARIADB -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
        };
        return c.execute(sql).scalar(Long.class);
    }

    /** How many of the connections with these server-side ids are open (on PostgreSQL: and carry the tag). */
    int open(Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String in = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
        return count(switch (db) {
            case POSTGRESQL -> "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
                    + "' AND pid IN " + in;
            case MARIADB -> "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID IN " + in;
            case H2 -> "SELECT count(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID IN " + in;
        });
    }

    /** PostgreSQL only: every open connection of the engine under test, by its unique application name. */
    int openTagged() throws SQLException {
        if (db != TestDatabase.POSTGRESQL) {
            throw new IllegalStateException("only PostgreSQL counts connections by application name here");
        }
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
    }

    /** Waits until {@link #openTagged()} reports {@code expected}, failing after a few seconds. */
    void awaitOpenTagged(int expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int seen;
        while ((seen = openTagged()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(seen).as("connections with application_name " + applicationName).isEqualTo(expected);
    }

    /**
     * Waits until {@link #open} reports {@code expected}: a server notices a client's close a moment after it
     * happens (PostgreSQL's backend process exits asynchronously). Fails after a few seconds.
     */
    void awaitOpen(Collection<Long> ids, int expected) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int seen;
        while ((seen = open(ids)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(seen).as("connections open on the server").isEqualTo(expected);
    }

    /** Kills a connection from the server side, as a crash or an administrator would. */
    void kill(long id) throws SQLException {
        try (Statement s = admin.createStatement()) {
            switch (db) {
                case POSTGRESQL -> s.execute("SELECT pg_terminate_backend(" + id + ")");
                case MARIADB -> s.execute("KILL " + id);
                case H2 -> s.execute("CALL ABORT_SESSION(" + id + ")");
                default -> throw new IllegalStateException(db.name());
            }
        }
    }

    /** Rows of {@code table} visible to a separate connection (committed rows only). */
    long rows(String table) throws SQLException {
        return count("SELECT count(*) FROM " + table);
    }

    void execute(String sql) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    private int count(String sql) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        admin.close();
    }
}
