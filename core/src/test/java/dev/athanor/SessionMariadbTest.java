package dev.athanor;

import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;

class SessionMariadbTest extends AbstractSessionTest {
    /** The InnoDB transaction last read, to tell a new transaction's row from a cached one. */
    private Object lastTransactionId;

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    /**
     * MariaDB's {@code @@tx_isolation} (what the driver answers) is the session's level, not the transaction's: read
     * the transaction's own from InnoDB. {@code information_schema.innodb_trx} is a cache refreshed at most every
     * 0.1 s, so the row of a transaction begun since the last read may take that long to appear.
     */
    @Override
    protected int transactionIsolation(Connection c) throws SQLException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            Row row = c.execute("SELECT trx_id, trx_isolation_level FROM information_schema.innodb_trx"
                    + " WHERE trx_mysql_thread_id = CONNECTION_ID()").first();
            if (row != null && !String.valueOf(row.get(0)).equals(lastTransactionId)) {
                lastTransactionId = String.valueOf(row.get(0));
                IsolationLevel level = IsolationLevel.valueOf(String.valueOf(row.get(1)).replace(' ', '_'));
                return level.jdbcLevel();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new InnoDB transaction for this connection within 5 s: " + row);
            }
            try {
                Thread.sleep(150); // the cache refreshes only when not read for 0.1 s: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
