package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.ConnectionTester;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * c3p0's {@link ConnectionTester} for Athanor pools (public: c3p0 makes it from its class name), run at checkin only:
 * it drops a connection the engine discarded (closed). An SQL error never makes c3p0 drop a connection: the engine
 * decides, and c3p0 must not open a replacement behind its back.
 */
public final class EngineConnectionTester implements ConnectionTester {
    @Override
    public int activeCheckConnection(Connection c) {
        try {
            return c.isClosed() ? CONNECTION_IS_INVALID : CONNECTION_IS_OKAY;
        } catch (SQLException | RuntimeException e) {
            return CONNECTION_IS_INVALID;
        }
    }

    @Override
    public int statusOnException(Connection c, Throwable t) {
        return CONNECTION_IS_OKAY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineConnectionTester;
    }

    @Override
    public int hashCode() {
        return EngineConnectionTester.class.hashCode();
    }
}
