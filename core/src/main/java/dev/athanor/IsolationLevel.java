package dev.athanor;

import java.sql.Connection;

/**
 * Transaction isolation levels, as JDBC names them, and {@link #AUTOCOMMIT} as SQLAlchemy has it: for a whole engine
 * ({@link EngineBuilder#isolationLevel}), one checkout ({@link dev.athanor.Connection#isolationLevel}) or one session
 * transaction ({@link Session#isolationLevel}).
 */
public enum IsolationLevel {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE),
    /**
     * No transaction: JDBC auto-commit on, every statement commits as it runs (SQLAlchemy's
     * {@code isolation_level="AUTOCOMMIT"}). {@code commit()} and {@code rollback()} do nothing, nothing is reset
     * when the connection returns, and a read costs one round trip (no {@code BEGIN}, no {@code ROLLBACK}). The
     * connection's isolation level is left as it is; savepoints ({@code beginNested()}) are refused, since there is
     * no transaction to nest in.
     */
    AUTOCOMMIT(-1);

    private final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /**
     * The {@code java.sql.Connection.TRANSACTION_*} constant.
     *
     * @throws IllegalStateException for {@link #AUTOCOMMIT}, which is auto-commit on rather than a JDBC level (see
     *         {@link #isAutocommit()})
     */
    public int jdbcLevel() {
        if (this == AUTOCOMMIT) {
            throw new IllegalStateException("AUTOCOMMIT is not a JDBC isolation level: it turns auto-commit on and"
                    + " leaves the isolation level as it is; check isAutocommit() first");
        }
        return jdbcLevel;
    }

    /** True for {@link #AUTOCOMMIT}: auto-commit on, no transaction. */
    public boolean isAutocommit() {
        return this == AUTOCOMMIT;
    }

    /**
     * The level for a JDBC constant; {@code null} for {@code TRANSACTION_NONE} or an unknown value (never
     * {@link #AUTOCOMMIT}, which no JDBC constant names).
     */
    public static IsolationLevel fromJdbc(int level) {
        for (IsolationLevel l : values()) {
            if (l != AUTOCOMMIT && l.jdbcLevel == level) {
                return l;
            }
        }
        return null;
    }

    /** How applying {@code level} is quoted in an error: what the driver was asked to do, in SQL terms. */
    static String sql(IsolationLevel level) {
        if (level == null) {
            return "SET the engine's isolation level";
        }
        return level.isAutocommit() ? "SET AUTOCOMMIT ON" : "SET TRANSACTION ISOLATION LEVEL "
                + level.name().replace('_', ' ');
    }
}
