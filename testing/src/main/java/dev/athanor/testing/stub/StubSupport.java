package dev.athanor.testing.stub;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/** The errors the stub driver throws, in one place so messages and SQLStates stay consistent. */
final class StubSupport {
    /** SQLSTATE for a connection attempt that was refused. */
    static final String CONNECTION_REFUSED = "08001";
    /** SQLSTATE for use of a closed connection. */
    static final String CONNECTION_CLOSED = "08003";
    /** SQLSTATE for a connection that broke underneath its user. */
    static final String CONNECTION_FAILURE = "08006";
    /** SQLSTATE PostgreSQL uses for commit or rollback while auto-commit is on. */
    static final String NO_ACTIVE_TRANSACTION = "25P01";
    /** SQLSTATE for changing transaction characteristics inside a transaction. */
    static final String ACTIVE_TRANSACTION = "25001";

    private StubSupport() {
    }

    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException("stub: " + what + " is not supported");
    }

    static SQLException connectionClosed() {
        return new SQLException("stub: connection is closed", CONNECTION_CLOSED);
    }

    static SQLException connectionKilled() {
        return new SQLException("stub: connection killed", CONNECTION_FAILURE);
    }

    static SQLException connectionRefused() {
        return new SQLException("stub: connection refused", CONNECTION_REFUSED);
    }

    static <T> T unwrap(Object self, Class<T> iface) throws SQLException {
        if (iface.isInstance(self)) {
            return iface.cast(self);
        }
        throw new SQLException("stub: " + self.getClass().getSimpleName() + " does not wrap " + iface.getName());
    }
}
