package dev.athanor;

import dev.athanor.internal.jdbc.PhysicalConnection;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The isolation level and read-only flag of one session transaction, applied to that transaction only.
 *
 * <p>On PostgreSQL, MySQL and MariaDB they are statements of the transaction itself, never a session-level setting:
 * PostgreSQL gets {@code SET TRANSACTION ISOLATION LEVEL ..., READ ONLY} right after pgjdbc's {@code BEGIN} (one
 * round trip; pgjdbc sends both together), MySQL and MariaDB {@code SET TRANSACTION ISOLATION LEVEL ...} (the next
 * transaction only) and {@code START TRANSACTION [READ ONLY]}, which begins it at once. Nothing is put back when the
 * transaction ends, so behind a transaction-mode pooler (PgBouncer), where the next transaction of this connection
 * may run on another server connection and this server connection may serve another client, no setting misses
 * its transaction or leaks into someone else's. The explicit {@code START TRANSACTION} matters on MariaDB: a
 * {@code SET TRANSACTION} whose transaction never starts (a first statement that touches no table) stays pending,
 * and MariaDB Connector/J sends no {@code COMMIT} or {@code ROLLBACK} outside a transaction that would clear it, so
 * the next borrower's transaction would inherit it.
 *
 * <p>H2, SQLite and other databases keep the JDBC path: {@code setTransactionIsolation} / {@code setReadOnly},
 * put back when the transaction's connection is released. {@link IsolationLevel#AUTOCOMMIT} has no transaction to
 * set anything on: it is always auto-commit on through JDBC, put back at release.
 */
final class TransactionSettings {
    private final Connection connection;
    private final IsolationLevel isolation;
    private final Boolean readOnly;
    /** What is being sent, for the error message when it fails. */
    private String sql = "SET TRANSACTION";

    TransactionSettings(Connection connection, IsolationLevel isolation, Boolean readOnly) {
        this.connection = connection;
        this.isolation = isolation;
        this.readOnly = readOnly;
    }

    /** Whether this database takes a transaction's settings as statements of the transaction (not of the session). */
    static boolean perTransaction(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL || dialect == Dialect.MYSQL || dialect == Dialect.MARIADB;
    }

    /** The statement being sent (or last sent), to quote when it fails. */
    String sql() {
        return sql;
    }

    /**
     * Applies the settings to the connection's next transaction. Returns true when a session-level setting was
     * changed that must be put back ({@link PhysicalConnection#restore()}) before the connection returns.
     */
    boolean apply() throws SQLException {
        PhysicalConnection p = connection.physicalConnection();
        boolean autocommitEngine = isolation == null && p.autoCommit();
        if (isolation == IsolationLevel.AUTOCOMMIT || autocommitEngine
                || !perTransaction(connection.engine().dialect())) {
            return applyThroughJdbc(p);
        }
        if (p.autoCommit()) {
            sql = "SET AUTOCOMMIT OFF";
            p.setAutoCommit(false); // an AUTOCOMMIT engine's connection, for one transactional unit: put back after
        }
        boolean postgresql = connection.engine().dialect() == Dialect.POSTGRESQL;
        if (postgresql) {
            // A native pool may have queried the fresh connection (c3p0 reads its isolation level): pgjdbc then left
            // a transaction open that SET TRANSACTION would come too late for (25001). No user work can be in it at
            // checkout, and pgjdbc sends nothing for a rollback with no transaction open.
            p.rollback();
        }
        List<String> modes = new ArrayList<>(2);
        // MySQL and MariaDB answer the session's level with a SELECT outside any transaction, asked once per
        // connection; pgjdbc's SHOW would begin the transaction before its SET TRANSACTION, so only what is tracked.
        if (isolation != null && (postgresql ? p.trackedIsolation() : p.sessionIsolation()) != isolation) {
            modes.add("ISOLATION LEVEL " + isolation.name().replace('_', ' '));
        }
        boolean readOnlyTransaction = Boolean.TRUE.equals(readOnly);
        if (postgresql) {
            if (readOnlyTransaction) {
                modes.add("READ ONLY");
            }
            if (!modes.isEmpty()) {
                send("SET TRANSACTION " + String.join(", ", modes));
            }
        } else if (!modes.isEmpty() || readOnlyTransaction) {
            if (!modes.isEmpty()) {
                send("SET TRANSACTION " + modes.get(0));
            }
            send(readOnlyTransaction ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
        }
        p.readOnlyTransaction(readOnlyTransaction);
        return p.changed();
    }

    private void send(String statement) throws SQLException {
        sql = statement;
        connection.transactionBegun();
        try (Statement s = connection.physical().createStatement()) {
            s.execute(statement);
        }
    }

    /** Session-level settings through JDBC, put back at release; what the connection has already costs nothing. */
    private boolean applyThroughJdbc(PhysicalConnection p) throws SQLException {
        if (isolation != null) {
            sql = IsolationLevel.sql(isolation);
            p.isolationLevel(isolation);
        }
        if (readOnly != null) {
            sql = readOnly ? "SET TRANSACTION READ ONLY" : "SET TRANSACTION READ WRITE";
            if (p.isReadOnly() != readOnly) {
                p.setReadOnly(readOnly);
            }
        }
        return true;
    }
}
