package dev.athanor;

import dev.athanor.internal.Arguments;

import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The database family behind a {@link Url}: what the URL's {@code dialect} part (or a raw {@code jdbc:} URL's
 * sub-protocol) names, and the few driver details Athanor needs per family.
 *
 * <p>{@code Dialect.fromId("postgresql")} is {@link #POSTGRESQL}; a raw {@code jdbc:} URL for a database Athanor
 * has no dialect for (Oracle, SQL Server, ...) is {@link #GENERIC}.
 */
public enum Dialect {
    /** PostgreSQL through the pgJDBC driver ({@code jdbc:postgresql:}). */
    POSTGRESQL("postgresql", 5432),
    /** MySQL through Connector/J ({@code jdbc:mysql:}) or, with {@code mysql+mariadb://}, MariaDB Connector/J. */
    MYSQL("mysql", 3306),
    /** MariaDB through MariaDB Connector/J ({@code jdbc:mariadb:}). */
    MARIADB("mariadb", 3306),
    /** H2, embedded ({@code h2:mem:}, {@code h2:file:}) or over TCP ({@code h2://host/db}). */
    H2("h2", -1),
    /** SQLite through the xerial driver ({@code jdbc:sqlite:}). */
    SQLITE("sqlite", -1),
    /** Any other raw {@code jdbc:} URL: Athanor passes it to the driver and assumes only standard JDBC. */
    GENERIC("generic", -1);

    private static final String PING = "SELECT 1";

    private final String id;
    private final int defaultPort;

    Dialect(String id, int defaultPort) {
        this.id = id;
        this.defaultPort = defaultPort;
    }

    /** The lower-case name used in URLs and configuration, e.g. {@code "postgresql"}. */
    public String id() {
        return id;
    }

    /** The server's usual TCP port (used when a URL gives none), or {@code -1} when there is none. */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * The dialect with this {@link #id()}, ignoring case.
     *
     * @throws ConfigurationException for {@code null} or an unknown id; the message lists the valid ids
     */
    public static Dialect fromId(String id) {
        Dialect d = lookup(id);
        if (d == null) {
            String valid = Arrays.stream(values()).map(Dialect::id).collect(Collectors.joining(", "));
            String shown = id == null ? "null" : "'" + id + "'";
            throw new ConfigurationException("Unknown dialect " + shown + "; valid dialects are: " + valid);
        }
        return d;
    }

    /** The dialect with this id ignoring case, or {@code null}. */
    static Dialect lookup(String id) {
        if (id != null) {
            for (Dialect d : values()) {
                if (d.id.equalsIgnoreCase(id)) {
                    return d;
                }
            }
        }
        return null;
    }

    /** The dialect for a raw JDBC URL's sub-protocol ({@code jdbc:<sub>:...}); {@link #GENERIC} when unknown. */
    static Dialect forJdbcSubprotocol(String subprotocol) {
        Dialect d = lookup(subprotocol);
        return d == null ? GENERIC : d;
    }

    /**
     * Sets this driver's connect-timeout property in {@code props}, replacing any value already there:
     * PostgreSQL {@code connectTimeout} and {@code loginTimeout} (the TCP connect, and the whole connect including
     * authentication) in whole seconds (rounded up, at least 1), MySQL and MariaDB
     * {@code connectTimeout} in milliseconds (rounded up, at least 1). H2, SQLite and generic drivers have no such
     * property; for them {@code props} is left untouched.
     *
     * <p>{@code Dialect.POSTGRESQL.applyConnectTimeout(props, Duration.ofMillis(1500))} sets
     * {@code connectTimeout=2} and {@code loginTimeout=2}.
     *
     * @return {@code true} when a property was set, {@code false} when this dialect has no connect-timeout property
     * @throws ConfigurationException when {@code timeout} is {@code null}, zero or negative
     */
    public boolean applyConnectTimeout(Properties props, Duration timeout) {
        Arguments.notNull(props, "props");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationException("connectTimeout must be > 0, was " + timeout);
        }
        String value = switch (this) {
            case POSTGRESQL -> Long.toString(ceilSeconds(timeout));
            case MYSQL, MARIADB -> Long.toString(ceilMillis(timeout));
            default -> null;
        };
        if (value == null) {
            return false;
        }
        props.setProperty("connectTimeout", value);
        if (this == POSTGRESQL) {
            // pgjdbc's connectTimeout bounds only the TCP connect; a server that accepts and then never answers the
            // startup message would hang the connect forever. loginTimeout bounds the whole connect.
            props.setProperty("loginTimeout", value);
        }
        return true;
    }

    /**
     * Whether Athanor may use SAVEPOINTs ({@code beginNested()}) on this database: {@code true} for every named
     * dialect. {@code false} for {@link #GENERIC} means "unknown", not "unsupported": ask the driver's
     * {@link java.sql.DatabaseMetaData#supportsSavepoints()}.
     */
    public boolean supportsSavepoints() {
        return this != GENERIC;
    }

    /** A cheap statement that proves a connection is alive ({@code SELECT 1} on every supported database). */
    public String pingQuery() {
        return PING;
    }

    // Drivers parse these properties as int: clamp rather than overflow.
    private static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds();
        if (seconds >= Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return Math.max(1, d.getNano() > 0 ? seconds + 1 : seconds);
    }

    private static long ceilMillis(Duration d) {
        long seconds = d.getSeconds();
        if (seconds >= Integer.MAX_VALUE / 1000) {
            return Integer.MAX_VALUE;
        }
        long millis = seconds * 1000 + (d.getNano() + 999_999) / 1_000_000;
        return Math.max(1, millis);
    }
}
