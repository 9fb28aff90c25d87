package dev.athanor;

import java.time.Duration;

/**
 * The replication SQL of one database family: the position a commit reached on the primary, whether a replica has
 * replayed it, and how far behind a replica is. Every query runs outside the session's transactions and leaves none
 * open (see {@link #probe}), so it never shares a snapshot with the reads that follow.
 */
abstract class ReplicaSql {
    /** A session wrote, but where the commit is in the replication stream cannot be known: read from the primary. */
    static final String UNKNOWN = "";

    /** For databases whose positions Athanor does not know (H2, SQLite, MySQL, generic): writes pin reads. */
    static final ReplicaSql NONE = new ReplicaSql() {
        @Override
        String position(Connection primary) {
            return UNKNOWN;
        }

        @Override
        boolean hasReplayed(Connection replica, String position) {
            return false;
        }

        @Override
        Duration lag(Connection replica) {
            throw new UnsupportedOperationException("no lag query");
        }

        @Override
        boolean measuresLag() {
            return false;
        }
    };

    static ReplicaSql of(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> Postgresql.INSTANCE;
            case MARIADB -> Mariadb.INSTANCE;
            default -> NONE;
        };
    }

    /**
     * Where the last commit on {@code primary} is in the replication stream, read right after it on the same
     * connection; {@link #UNKNOWN} when it cannot be known, {@code null} when the connection committed no write.
     */
    abstract String position(Connection primary);

    /** Whether {@code replica} has replayed (applied) {@code position}: one round trip, no waiting. */
    abstract boolean hasReplayed(Connection replica, String position);

    /** How far behind {@code replica} is; {@code null} when it cannot say (e.g. its replication is stopped). */
    abstract Duration lag(Connection replica);

    /** Whether {@link #lag} can be asked: a maximum lag is refused at build() for databases without it. */
    boolean measuresLag() {
        return true;
    }

    /**
     * The first row of a query run outside any transaction, leaving none open; {@code null} when there is none.
     * {@code autocommitCheap}: the driver switches auto-commit without a round trip while no transaction is open
     * (pgJDBC), so the query runs in one round trip on its own; otherwise it runs and is rolled back, which drivers
     * that know no transaction is open (MariaDB Connector/J) skip.
     */
    static Row probe(Connection c, boolean autocommitCheap, String sql, Object... params) {
        if (c.physicalConnection().autoCommit()) {
            return c.execute(sql, params).first();
        }
        if (autocommitCheap) {
            c.isolationLevel(IsolationLevel.AUTOCOMMIT);
            try {
                return c.execute(sql, params).first();
            } finally {
                if (!c.isClosed()) {
                    c.isolationLevel(null);
                }
            }
        }
        try {
            return c.execute(sql, params).first();
        } finally {
            if (!c.isClosed()) {
                c.rollback();
            }
        }
    }

    /** PostgreSQL streaming replication: WAL positions (LSNs). */
    static final class Postgresql extends ReplicaSql {
        static final Postgresql INSTANCE = new Postgresql();

        @Override
        String position(Connection primary) {
            Row row = probe(primary, true, "SELECT CAST(pg_current_wal_lsn() AS text)");
            return row == null ? UNKNOWN : (String) row.get(0);
        }

        @Override
        boolean hasReplayed(Connection replica, String position) {
            // NULL (not a standby, e.g. promoted) counts as "not replayed": the primary serves the read.
            Row row = probe(replica, true,
                    "SELECT COALESCE(pg_last_wal_replay_lsn() >= CAST(? AS pg_lsn), false)", position);
            return row != null && Boolean.TRUE.equals(row.get(0, Boolean.class));
        }

        @Override
        Duration lag(Connection replica) {
            // Nothing received and not replayed: not behind. Otherwise the age of the last replayed commit, the
            // usual measure (it overstates the lag when the primary had been idle before the pending commit).
            Row row = probe(replica, true, "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
                    + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                    + " ELSE CAST(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000"
                    + " AS bigint) END");
            Long millis = row == null ? null : row.get(0, Long.class);
            return millis == null ? null : Duration.ofMillis(Math.max(0, millis));
        }
    }

    /** MariaDB GTID replication: the session's last GTID and {@code MASTER_GTID_WAIT}. */
    static final class Mariadb extends ReplicaSql {
        static final Mariadb INSTANCE = new Mariadb();

        @Override
        String position(Connection primary) {
            Row row = probe(primary, false, "SELECT @@last_gtid");
            String gtid = row == null ? null : (String) row.get(0);
            return gtid == null || gtid.isEmpty() ? null : gtid;
        }

        @Override
        boolean hasReplayed(Connection replica, String position) {
            Row row = probe(replica, false, "SELECT MASTER_GTID_WAIT(?, 0)", position);
            Integer r = row == null ? null : row.get(0, Integer.class);
            return r != null && r == 0;
        }

        @Override
        Duration lag(Connection replica) {
            // Needs the SLAVE MONITOR (or SUPER) privilege; NULL while the replica's SQL thread is stopped.
            Row row = probe(replica, false, "SHOW SLAVE STATUS");
            if (row == null) {
                return Duration.ZERO; // not a replica: nothing to be behind
            }
            Long seconds = row.get("Seconds_Behind_Master", Long.class);
            return seconds == null ? null : Duration.ofSeconds(seconds);
        }
    }
}
