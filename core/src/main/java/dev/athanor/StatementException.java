package dev.athanor;

import java.sql.SQLException;
import java.util.List;

/**
 * A statement failed. Carries the SQL, the names of the bound parameters and the driver's exception as the cause,
 * with its SQLState and vendor error code. Bound values appear in the message only when the engine does not hide
 * parameters. The cause is the driver's own exception unless its text showed the engine's password or, with hidden
 * parameters, a bound value: then it is a copy of the nearest standard {@code java.sql} class (same SQLState, vendor
 * code and stack trace, the driver's class named at the start of the message) with that text replaced by {@code ***}.
 */
public class StatementException extends AthanorException {
    private static final long serialVersionUID = 1L;

    private final String sql;
    private final List<String> bindNames;

    public StatementException(String message, String sql, List<String> bindNames, Throwable cause) {
        super(message, cause);
        this.sql = sql;
        this.bindNames = bindNames == null ? List.of() : List.copyOf(bindNames);
    }

    /** The statement as the caller wrote it; {@code null} when the failure was not tied to a statement. */
    public String sql() {
        return sql;
    }

    /** Names of the parameters bound to the statement ({@code ?1}, {@code ?2}… for positional binds). */
    public List<String> bindNames() {
        return bindNames;
    }

    /** The driver's SQLState, or {@code null} when the cause is not an {@link SQLException}. */
    public String sqlState() {
        return getCause() instanceof SQLException ? ((SQLException) getCause()).getSQLState() : null;
    }

    /** The driver's vendor error code, or 0 when the cause is not an {@link SQLException}. */
    public int errorCode() {
        return getCause() instanceof SQLException ? ((SQLException) getCause()).getErrorCode() : 0;
    }
}
