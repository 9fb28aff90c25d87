package dev.athanor;

import java.sql.Connection;

/** Transaction isolation levels, as JDBC names them. */
public enum IsolationLevel {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /** The {@code java.sql.Connection.TRANSACTION_*} constant. */
    public int jdbcLevel() {
        return jdbcLevel;
    }

    /** The level for a JDBC constant; {@code null} for {@code TRANSACTION_NONE} or an unknown value. */
    public static IsolationLevel fromJdbc(int level) {
        for (IsolationLevel l : values()) {
            if (l.jdbcLevel == level) {
                return l;
            }
        }
        return null;
    }
}
