package dev.athanor.testing;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.Url;

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

    /** An engine builder on {@link #url()}, with a pool timeout short enough for tests. */
    public EngineBuilder engine() {
        assumeAvailable();
        return Engine.builder(url());
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
        String msg = name() + " is not reachable at " + Url.parse(url()) + " (" + problem + "); set " + envVar
                + " or start the server";
        if (required()) {
            Assertions.fail(msg + " — databases are required in this run (CI=true / athanor.requireDatabases)");
        }
        Assumptions.abort(msg);
    }

    private String probe() {
        Url u = Url.parse(url());
        Properties props = u.driverProperties();
        // PostgreSQL takes seconds, MariaDB milliseconds.
        props.setProperty("connectTimeout", this == POSTGRESQL ? "3" : "3000");
        try (Connection c = DriverManager.getConnection(u.jdbcUrl(), props)) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
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
