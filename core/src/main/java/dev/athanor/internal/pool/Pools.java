package dev.athanor.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;

/** Small helpers of the core pools. */
final class Pools {
    private Pools() {
    }

    /** Closes a connection being discarded: there is nothing more to do if closing it fails too. */
    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // Discarding a connection: nothing more to do.
        }
    }
}
