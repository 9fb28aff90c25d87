package dev.athanor;

import java.sql.SQLException;

/**
 * A write was refused because the server accepts no writes now — PostgreSQL {@code 25006} on a hot standby,
 * MariaDB/MySQL {@code 1290} ({@code --read-only}) or {@code 1792} — in a transaction that Athanor did not make
 * read-only: the primary was demoted or replaced behind a multi-host URL, or the engine points at a replica. It is
 * handled like a lost connection: the connection is discarded with every connection the engine opened before it,
 * so the next checkout connects again (and a multi-host URL with {@code targetServerType=primary}, or MariaDB's
 * {@code sequential} mode, finds the new primary), and {@link RetryPolicy} reruns the unit of work like after any
 * other {@link DisconnectionException}: nothing was written. In a transaction made read-only on purpose
 * ({@code readOnly(true)}) the same error is a plain {@link StatementException}: the caller's mistake.
 */
public class ReadOnlyServerException extends DisconnectionException {
    private static final long serialVersionUID = 1L;

    public ReadOnlyServerException(String message, String sql, java.util.List<String> bindNames, SQLException cause) {
        super(message, sql, bindNames, cause);
    }
}
