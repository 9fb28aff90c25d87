package dev.athanor;

import java.sql.SQLException;

/**
 * The database connection was lost (server restart, killed backend, network failure). The connection it happened
 * on has been invalidated: it will not go back to the pool. Retrying the whole unit of work on a new connection is
 * safe, the transaction that was open being gone, except when the connection was lost during COMMIT: that is a
 * {@link CommitInDoubtException}, and the transaction may have committed.
 */
public class DisconnectionException extends StatementException {
    private static final long serialVersionUID = 1L;

    public DisconnectionException(String message, String sql, java.util.List<String> bindNames, SQLException cause) {
        super(message, sql, bindNames, cause);
    }
}
