package dev.athanor.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases Athanor's tests run on: embedded H2 always, and PostgreSQL and MariaDB on 127.0.0.1 (URLs from
 * {@code ATHANOR_TEST_POSTGRESQL_URL} and {@code ATHANOR_TEST_MARIADB_URL}, defaulting to the local servers).
 *
 * <p>When a server is unreachable its tests are skipped on a developer machine, but fail when databases are
 * required: system property {@code athanor.requireDatabases=true} or environment {@code CI=true} (or {@code 1},
 * {@code yes}; what {@code .ci/run} uses), so a CI run can never pass by silently skipping them.
 *
 * <p>It needs no Athanor artifact, only the JDBC drivers, so that core's own tests can use it too:
 * {@code Engine.builder(TestDatabase.POSTGRESQL.availableUrl())} makes an engine on it.
 */
public enum TestDatabase {
    H2(null, null),
    POSTGRESQL("ATHANOR_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    MARIADB("ATHANOR_TEST_MARIADB_URL", "mariadb://root@127.0.0.1:3306/test");

    private static final AtomicInteger H2_COUNTER = new AtomicInteger();
    private static final ConcurrentHashMap<TestDatabase, String> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<TestDatabase, Boolean> CHECKED = new ConcurrentHashMap<>();

    private final String envVar;
    private final String defaultUrl;

    TestDatabase(String envVar, String defaultUrl) {
        this.envVar = envVar;
        this.defaultUrl = defaultUrl;
    }

    /** True when tests must fail rather than skip if a database is unreachable. */
    public static boolean required() {
        String ci = System.getenv("CI");
        return Boolean.getBoolean("athanor.requireDatabases") || ci != null && ci.strip().matches("(?i)true|1|yes");
    }

    /**
     * The Athanor URL of this database. H2 gets a new in-memory database per call, so tests never see each
     * other's tables.
     */
    public String url() {
        if (this == H2) {
            return "h2:mem:athanor_test_" + H2_COUNTER.incrementAndGet();
        }
        String fromEnv = System.getenv(envVar);
        return fromEnv == null || fromEnv.isBlank() ? defaultUrl : fromEnv;
    }

    /** {@link #url()}, after {@link #assumeAvailable()}: the URL to build a test's engine from. */
    public String availableUrl() {
        assumeAvailable();
        return url();
    }

    /** Skips the calling test when the database is unreachable, or fails it when databases are required. */
    public void assumeAvailable() {
        if (this == H2) {
            return;
        }
        CHECKED.computeIfAbsent(this, db -> {
            String problem = db.probe();
            if (problem != null) {
                UNAVAILABLE.put(db, problem);
            }
            return Boolean.TRUE;
        });
        String problem = UNAVAILABLE.get(this);
        if (problem == null) {
            return;
        }
        String msg = name() + " is not reachable at " + masked(url()) + " (" + problem + "); set " + envVar
                + " or start the server";
        if (required()) {
            Assertions.fail(msg + " — databases are required in this run (CI=true / athanor.requireDatabases)");
        }
        Assumptions.abort(msg);
    }

    private String probe() {
        String url = url();
        Properties props = new Properties();
        String jdbcUrl;
        if (url.startsWith("jdbc:")) {
            jdbcUrl = url;
        } else {
            // dialect[+driver]://user:password@host:port/database?query, the form TestDatabase's variables hold
            URI uri = URI.create(url);
            String scheme = uri.getScheme();
            String subprotocol = scheme.contains("+") ? scheme.substring(scheme.indexOf('+') + 1) : scheme;
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                if (colon >= 0) {
                    props.setProperty("password", decode(userInfo.substring(colon + 1)));
                }
            }
            jdbcUrl = "jdbc:" + subprotocol + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        // PostgreSQL takes seconds, MariaDB milliseconds.
        props.setProperty("connectTimeout", this == POSTGRESQL ? "3" : "3000");
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code url} with the password after {@code user:} replaced by {@code ***}. */
    static String masked(String url) {
        return url.replaceFirst("^([^:/?#]+://[^:@/]*):[^@/]*@", "$1:***@");
    }

    /** Column definition of an auto-generated BIGINT primary key named {@code id}. */
    public String idColumn() {
        return this == POSTGRESQL ? "id BIGSERIAL PRIMARY KEY" : "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    /** A table name unique to this JVM, so tests on a shared server never collide. */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + ProcessHandle.current().pid() + "_" + H2_COUNTER.incrementAndGet())
                .toLowerCase(Locale.ROOT);
    }
}
