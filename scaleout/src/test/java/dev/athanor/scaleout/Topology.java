package dev.athanor.scaleout;

/**
 * The server set-ups of the scale-out suite, each started by its script in {@code scaleout/scripts} (with
 * {@code up}) and torn down after the test run (with {@code down}). Ports come from the scripts' environment
 * variables, with the same defaults here; none is a port of the local servers (5432, 3306).
 */
public enum Topology {
    /** PostgreSQL primary ({@code ATHANOR_PG_PRIMARY_PORT}, 5434) and hot standby ({@code ..._STANDBY_PORT}, 5435). */
    PG_STANDBY("pg-standby.sh"),
    /** PgBouncer in transaction mode ({@code ATHANOR_PGBOUNCER_PORT}, 6432) in front of the PostgreSQL primary. */
    PGBOUNCER("pgbouncer.sh", PG_STANDBY),
    /** MariaDB primary ({@code ATHANOR_MARIADB_PRIMARY_PORT}, 3307) and GTID replica ({@code ..._REPLICA_PORT}, 3308). */
    MARIADB_REPLICA("mariadb-replica.sh"),
    /** Three Galera nodes (SQL ports {@code ATHANOR_GALERA_PORT} + 0, 1, 2: 3311-3313). */
    GALERA("galera.sh");

    private final String script;
    private final Topology needs;

    Topology(String script) {
        this(script, null);
    }

    Topology(String script, Topology needs) {
        this.script = script;
        this.needs = needs;
    }

    String script() {
        return script;
    }

    /** The topology this one runs in front of, started first; null when none. */
    Topology needs() {
        return needs;
    }

    /** A port from the environment variable {@code name}, or {@code fallback}. */
    public static int port(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
    }

    public static int pgPrimaryPort() {
        return port("ATHANOR_PG_PRIMARY_PORT", 5434);
    }

    public static int pgStandbyPort() {
        return port("ATHANOR_PG_STANDBY_PORT", 5435);
    }

    public static int pgbouncerPort() {
        return port("ATHANOR_PGBOUNCER_PORT", 6432);
    }

    public static int mariadbPrimaryPort() {
        return port("ATHANOR_MARIADB_PRIMARY_PORT", 3307);
    }

    public static int mariadbReplicaPort() {
        return port("ATHANOR_MARIADB_REPLICA_PORT", 3308);
    }

    /** The SQL port of Galera node {@code node} (0, 1 or 2). */
    public static int galeraPort(int node) {
        return port("ATHANOR_GALERA_PORT", 3311) + node;
    }
}
