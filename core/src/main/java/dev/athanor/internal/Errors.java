package dev.athanor.internal;

import dev.athanor.CommitInDoubtException;
import dev.athanor.DisconnectionException;
import dev.athanor.ReadOnlyServerException;
import dev.athanor.StatementException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

/** Turns driver exceptions into Athanor's, deciding which ones mean the connection is gone. */
public final class Errors {
    private Errors() {
    }

    /**
     * True when {@code e} means the connection can no longer be used: SQLState class 08 (connection exception),
     * PostgreSQL's admin/crash shutdown (57P01-57P03), MariaDB/MySQL's "connection killed" and "server gone away"
     * codes, and the JDBC connection-exception subclasses.
     */
    public static boolean isDisconnect(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03") || state.equals("70100"))) {
                    return true;
                }
                int code = s.getErrorCode();
                if (code == 1927 || code == 2006 || code == 2013 || code == 1053) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when {@code e} says the server accepts no writes: PostgreSQL's {@code 25006} (read-only SQL transaction: a
     * hot standby, or {@code default_transaction_read_only}), MariaDB/MySQL's {@code 1290} (running with
     * {@code --read-only}) and {@code 1792} (statement in a read-only transaction). Whether that means "this server
     * is read-only now" depends on whether the transaction was made read-only on purpose: see {@link #statement}.
     */
    public static boolean isReadOnlyServer(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                int code = s.getErrorCode();
                if ("25006".equals(s.getSQLState()) || code == 1290 || code == 1792) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The failure to open a connection. */
    public static DisconnectionException connectFailure(String poolName, String target, SQLException e,
                                                        Secrets secrets) {
        return new DisconnectionException("[" + poolName + "] could not connect to " + target + ": "
                + secrets.scrub(describe(e)), null, List.of(), e);
    }

    /**
     * A statement failure; a disconnect becomes a {@link DisconnectionException}. Values are rendered only when
     * {@code values} is not null (the engine passes null when parameters are hidden); {@code hidden} are the bound
     * values to keep out of the driver's message and of the cause (null when parameters are shown). The engine's
     * passwords are kept out of both always (see {@link Redactor}). A write refused because the server is read-only
     * ({@link #isReadOnlyServer}) is a {@link ReadOnlyServerException} unless {@code readOnlyTransaction} (the
     * transaction was made read-only on purpose, so the refusal is the caller's mistake, not a failover).
     */
    public static StatementException statement(String poolName, String sql, List<String> names, Object[] values,
                                               Iterable<?> hidden, SQLException e, Secrets secrets,
                                               boolean readOnlyTransaction) {
        Redactor redactor = Redactor.of(secrets, hidden);
        StringBuilder msg = new StringBuilder(128).append('[').append(poolName).append("] ")
                .append(describe(e, redactor))
                .append(" [SQL: ").append(sql).append(']');
        if (!names.isEmpty()) {
            msg.append(" [parameters: ");
            if (values == null) {
                msg.append("hidden, names ").append(names);
            } else {
                msg.append(secrets.scrub(SqlLog.renderValues(names, values)));
            }
            msg.append(']');
        }
        SQLException cause = redactor.redact(e);
        if (isDisconnect(e)) {
            return new DisconnectionException(msg.insert(poolName.length() + 3, "connection lost: ").toString(),
                    sql, names, cause);
        }
        if (!readOnlyTransaction && isReadOnlyServer(e)) {
            return new ReadOnlyServerException(msg.insert(poolName.length() + 3, "server is read-only (demoted or"
                    + " replaced primary, or a replica): ").toString(), sql, names, cause);
        }
        return new StatementException(msg.toString(), sql, names, cause);
    }

    /** The driver's message, cleaned by {@code redactor}, with its SQLState and vendor code. */
    private static String describe(SQLException e, Redactor redactor) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : redactor.apply(e.getMessage().strip());
        return text + " (SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ")";
    }

    /**
     * A COMMIT that failed because the connection was lost ({@code lost}, from {@link #statement}): the server may
     * have committed before the connection died, so the outcome is in doubt and the unit must not simply be rerun.
     */
    public static CommitInDoubtException commitInDoubt(String poolName, DisconnectionException lost) {
        String prefix = "[" + poolName + "] ";
        String message = lost.getMessage();
        String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        SQLException cause = lost.getCause() instanceof SQLException s ? s : null;
        return new CommitInDoubtException(prefix + "commit in doubt: the connection was lost"
                + " during COMMIT, so the transaction may or may not have committed; check whether its work is there"
                + " before running it again (" + detail + ")", lost.bindNames(), cause);
    }

    /** The driver's message with its SQLState and vendor code. */
    public static String describe(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return text + " (SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ")";
    }
}
