package dev.athanor.reliability;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * One test's view of a database: engines tagged so that the database server itself can count and kill exactly
 * this test's connections (never another test's: the servers are shared), optionally through a {@link TcpProxy}.
 *
 * <p>The tag is a PostgreSQL {@code application_name}, a dedicated MariaDB user (created here, dropped on
 * {@link #close()}), or nothing for H2, whose in-memory database belongs to this target alone. The witness is the
 * server's own session list: {@code pg_stat_activity}, {@code information_schema.PROCESSLIST},
 * {@code INFORMATION_SCHEMA.SESSIONS}.
 *
 * <pre>{@code
 * try (Target t = Target.on(TestDatabase.POSTGRESQL); Engine e = t.engine("hikari").build()) {
 *     e.useConnection(c -> c.execute("SELECT 1"));
 *     assertThat(t.serverConnections()).isEqualTo(1);
 * }
 * }</pre>
 */
final class Target implements AutoCloseable {
    private final TestDatabase db;
    private final Url url;
    private final String tag;
    private final Connection admin;
    private final List<String> tables = new ArrayList<>();
    /** The password engines log in with: H2 and MariaDB are set up to require it; PostgreSQL trusts 127.0.0.1. */
    private final String password;
    private String h2Url;
    private TcpProxy proxy;

    private Target(TestDatabase db, String password) throws SQLException {
        this.db = db;
        this.password = password;
        this.tag = TestDatabase.uniqueName("ath_rel");
        if (db == TestDatabase.H2) {
            this.h2Url = db.url();
            this.url = Url.parse(h2Url);
        } else {
            this.url = Url.parse(db.url());
        }
        Properties props = url.driverProperties();
        if (db == TestDatabase.H2 && password != null) {
            props.setProperty("user", "sa");
            props.setProperty("password", password); // the first connection sets the in-memory database's login
        }
        this.admin = DriverManager.getConnection(url.jdbcUrl(), props);
        admin.setAutoCommit(true);
        if (db == TestDatabase.MARIADB) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE USER IF NOT EXISTS '" + tag + "'@'%'"
                        + (password == null ? "" : " IDENTIFIED BY '" + password + "'"));
                s.execute("GRANT ALL ON " + url.database() + ".* TO '" + tag + "'@'%'");
            }
        }
    }

    /** A target on {@code db}; skips (or fails in CI) when the database is unreachable. */
    static Target on(TestDatabase db) {
        return on(db, null);
    }

    /**
     * A target whose engines must log in with {@code password} (H2: the in-memory database's login; MariaDB: the
     * tag user's; PostgreSQL trusts 127.0.0.1, so any password logs in). {@link #engine(String)} passes it as a
     * connect arg, {@link #engineUrl(boolean) engineUrl(true)} puts it in the URL.
     */
    static Target on(TestDatabase db, String password) {
        db.assumeAvailable();
        try {
            return new Target(db, password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + db + " for a reliability test", e);
        }
    }

    TestDatabase database() {
        return db;
    }

    /** This target's tag: the application name, the MariaDB user and the pool name of its engines. */
    String tag() {
        return tag;
    }

    /** Starts a proxy in front of the server; engines built after this connect through it. */
    TcpProxy proxy() {
        if (proxy == null) {
            Assumptions.assumeTrue(db != TestDatabase.H2, "H2 runs in this JVM: there is no connection to proxy");
            String host = url.host();
            if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
                throw new IllegalStateException("fault tests run only against 127.0.0.1, not " + url);
            }
            proxy = TcpProxy.to(url.port() < 0 ? url.dialect().defaultPort() : url.port());
        }
        return proxy;
    }

    /** An engine builder on this target with backend {@code backend}, tagged, through the proxy if started. */
    EngineBuilder engine(String backend) {
        return engine(backend, false);
    }

    /** {@link #engine(String)}, with the password in the URL instead of a connect arg when {@code passwordInUrl}. */
    EngineBuilder engine(String backend, boolean passwordInUrl) {
        Backends.require(backend);
        EngineBuilder b = Engine.builder(engineUrl(passwordInUrl)).pool(backend).poolName(tag);
        url.query().forEach(b::connectArg);
        String pw = password();
        if (pw != null && !passwordInUrl) {
            b.connectArg("password", pw);
        }
        if (db == TestDatabase.H2 && password != null && !passwordInUrl) {
            b.connectArg("user", "sa");
        }
        if (db == TestDatabase.POSTGRESQL) {
            b.connectArg("ApplicationName", tag);
        }
        return b;
    }

    /** The password engines log in with, or null. */
    String password() {
        return password != null ? password : db == TestDatabase.MARIADB ? null : url.password();
    }

    /** The URL engines use: host and port of the proxy if any; the password only when {@code withPassword}. */
    String engineUrl(boolean withPassword) {
        String pw = withPassword ? password() : null;
        if (db == TestDatabase.H2) {
            return pw == null ? h2Url : h2Url + ";USER=sa;PASSWORD=" + pw;
        }
        String user = db == TestDatabase.MARIADB ? tag : url.username();
        int port = proxy != null ? proxy.port() : url.port() < 0 ? url.dialect().defaultPort() : url.port();
        String userInfo = user == null ? "" : user + (pw == null ? "" : ":" + pw) + "@";
        return url.dialectName() + "://" + userInfo + "127.0.0.1:" + port + "/" + url.database();
    }

    /** The URL of the server itself, without proxy or tag: for a second, untagged engine. */
    String directUrl() {
        return db == TestDatabase.H2 ? h2Url : db.url();
    }

    /** A unique table name, dropped on {@link #close()}. */
    String table(String prefix) {
        String name = TestDatabase.uniqueName(prefix);
        tables.add(name);
        return name;
    }

    /** Runs DDL or DML on the admin connection (not through any engine under test). */
    synchronized void admin(String sql) {
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + sql, e);
        }
    }

    /** A count query on the admin connection. */
    synchronized long adminCount(String sql) {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("admin query failed: " + sql, e);
        }
    }

    /** The ids of this target's connections as the server lists them. */
    synchronized List<Long> serverIds() {
        String sql;
        switch (db) {
            case POSTGRESQL:
                sql = "SELECT pid FROM pg_stat_activity WHERE application_name = ?";
                break;
            case MARIADB:
                sql = "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?";
                break;
            default:
                sql = "SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID() AND ? <> ''";
        }
        SQLException failure = null;
        // Once in CI, H2 failed this listing while 10,000 virtual threads churned its sessions: a monitoring read, so
        // it is taken again (the failure is kept for the message if every attempt fails).
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = admin.prepareStatement(sql)) {
                ps.setString(1, tag);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            } catch (SQLException e) {
                failure = e;
            }
        }
        throw new IllegalStateException("cannot list " + db + " sessions: " + failure, failure);
    }

    /** How many connections of this target the server has open now. */
    int serverConnections() {
        return serverIds().size();
    }

    /** The server-side id of an engine connection: the backend pid or connection id. */
    static long serverId(dev.athanor.Connection c, TestDatabase db) {
        String sql = db == TestDatabase.POSTGRESQL ? "SELECT pg_backend_pid()"
                : db == TestDatabase.MARIADB ? "SELECT CONNECTION_ID()" : "SELECT SESSION_ID()";
        return c.execute(sql).scalar(Long.class);
    }

    /** Kills one connection of this target from the server side. */
    synchronized void kill(long serverId) {
        String sql = db == TestDatabase.POSTGRESQL ? "SELECT pg_terminate_backend(" + serverId + ")"
                : db == TestDatabase.MARIADB ? "KILL " + serverId : "CALL ABORT_SESSION(" + serverId + ")";
        try (Statement s = admin.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // Already gone is fine: the connection may have closed on its own meanwhile.
            if (!isGone(e)) {
                throw new IllegalStateException("cannot kill " + db + " connection " + serverId, e);
            }
        }
    }

    /** Kills every connection of this target from the server side; returns how many there were. */
    int killAll() {
        List<Long> ids = serverIds();
        for (long id : ids) {
            kill(id);
        }
        return ids.size();
    }

    private static boolean isGone(SQLException e) {
        return e.getErrorCode() == 1094; // MariaDB: unknown thread id
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        try (Statement s = admin.createStatement()) {
            for (String t : tables) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
            if (db == TestDatabase.MARIADB) {
                killAll();
                s.execute("DROP USER IF EXISTS '" + tag + "'@'%'");
            }
            if (db == TestDatabase.H2) {
                s.execute("SHUTDOWN");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cleanup of " + db + " target " + tag + " failed", e);
        } finally {
            try {
                admin.close();
            } catch (SQLException ignored) {
                // cleanup
            }
        }
    }

    @Override
    public String toString() {
        return db + "[" + tag + (proxy != null ? ", via " + proxy : "") + "]";
    }
}
