package dev.athanor.testkit;

import dev.athanor.Url;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The database's own view of one fixture's connections, independent of what the engine reports: how many are open,
 * and a way to kill them all (as a server restart or an idle-connection reaper would). Each view counts only the
 * connections its fixture made (the servers are shared with other tests): the stub counts its own database, H2 gets a
 * fresh in-memory database, PostgreSQL filters {@code pg_stat_activity} by a unique {@code application_name}, and
 * MariaDB checks {@code information_schema.PROCESSLIST} for the connection ids recorded when each connection opened.
 */
abstract class ServerView implements AutoCloseable {

    /** Connections of this fixture the database has open now. */
    abstract int open();

    /** Kills every connection of this fixture on the server side; the clients find out on their next use. */
    abstract void killAll();

    /** What is counted, for failure messages. */
    abstract String describe();

    /** Runs {@code sql} in auto-commit on the kit's own connection (DDL, reading committed rows). */
    void execute(String sql) {
        throw new UnsupportedOperationException("the stub has no tables");
    }

    /** The first column of the first row of {@code sql}, run on the kit's own connection. */
    int queryInt(String sql) {
        throw new UnsupportedOperationException("the stub has no tables");
    }

    /** Runs on each new physical connection before a backend sees it. */
    void onPhysicalConnect(Connection physical) {
    }

    @Override
    public void close() {
    }

    static ServerView stub(StubDatabase db) {
        return new ServerView() {
            @Override
            int open() {
                return db.openNow();
            }

            @Override
            void killAll() {
                db.killAll();
            }

            @Override
            String describe() {
                return "the stub database's openNow()";
            }
        };
    }

    /** A view over an admin connection of its own; {@code url} is the engine URL. */
    abstract static class Admin extends ServerView {
        final Connection admin;

        Admin(String url) {
            Url parsed = Url.parse(url);
            try {
                admin = DriverManager.getConnection(parsed.jdbcUrl(), parsed.driverProperties());
                admin.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException("the kit could not open its admin connection to " + parsed + ": "
                        + e.getMessage(), e);
            }
        }

        int count(String sql, String param) {
            try (PreparedStatement ps = admin.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("the kit's server view failed (" + sql + "): " + e.getMessage(), e);
            }
        }

        void run(String sql, String param) {
            try (PreparedStatement ps = admin.prepareStatement(sql)) {
                if (param != null) {
                    ps.setString(1, param);
                }
                ps.execute();
            } catch (SQLException e) {
                throw new IllegalStateException("the kit's statement failed (" + sql + "): " + e.getMessage(), e);
            }
        }

        @Override
        void execute(String sql) {
            run(sql, null);
        }

        @Override
        int queryInt(String sql) {
            return count(sql, null);
        }

        @Override
        public void close() {
            try {
                admin.close();
            } catch (SQLException ignored) {
                // The admin connection only counted; nothing depends on closing it cleanly.
            }
        }
    }

    /** H2: the fixture's in-memory database has no other sessions than the engine's and the admin's. */
    static ServerView h2(String url) {
        return new Admin(url) {
            @Override
            int open() {
                return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()",
                        null);
            }

            @Override
            void killAll() {
                run("SELECT ABORT_SESSION(SESSION_ID) FROM INFORMATION_SCHEMA.SESSIONS"
                        + " WHERE SESSION_ID <> SESSION_ID()", null);
            }

            @Override
            String describe() {
                return "H2's INFORMATION_SCHEMA.SESSIONS";
            }
        };
    }

    /** PostgreSQL: the engine connects with {@code ApplicationName = applicationName}. */
    static ServerView postgresql(String url, String applicationName) {
        return new Admin(url) {
            @Override
            int open() {
                return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", applicationName);
            }

            @Override
            void killAll() {
                run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                        applicationName);
            }

            @Override
            String describe() {
                return "pg_stat_activity where application_name = '" + applicationName + "'";
            }
        };
    }

    /** MariaDB: ids are recorded as connections open, since connection attributes are not reliably visible. */
    static ServerView mariadb(String url) {
        return new Admin(url) {
            private final Set<Long> ids = ConcurrentHashMap.newKeySet();

            @Override
            void onPhysicalConnect(Connection physical) {
                try (Statement s = physical.createStatement();
                     ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                    rs.next();
                    ids.add(rs.getLong(1));
                    physical.rollback();
                } catch (SQLException e) {
                    throw new IllegalStateException("the kit could not read CONNECTION_ID(): " + e.getMessage(), e);
                }
            }

            @Override
            int open() {
                return ids.isEmpty() ? 0 : count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN ("
                        + inList() + ")", null);
            }

            @Override
            void killAll() {
                List<Long> alive = new ArrayList<>();
                try (Statement s = admin.createStatement()) {
                    if (!ids.isEmpty()) {
                        try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN ("
                                + inList() + ")")) {
                            while (rs.next()) {
                                alive.add(rs.getLong(1));
                            }
                        }
                    }
                    for (long id : alive) {
                        try {
                            s.execute("KILL " + id);
                        } catch (SQLException gone) {
                            // It ended between the query and the kill: that is what we wanted.
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("the kit could not kill connections: " + e.getMessage(), e);
                }
            }

            private String inList() {
                return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
            }

            @Override
            String describe() {
                return "information_schema.PROCESSLIST for the connection ids this pool opened";
            }
        };
    }
}
