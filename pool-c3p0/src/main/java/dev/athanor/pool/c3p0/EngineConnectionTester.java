package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.ConnectionTester;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The c3p0 {@link ConnectionTester} an Athanor pool runs with. c3p0 instantiates it by class name, hence public.
 *
 * <p>An exception from a borrowed connection never makes c3p0 drop the connection on its own: the engine decides
 * that (it invalidates on a disconnect and pings before checkout when {@code poolPrePing} is on), so c3p0 must not
 * also mark it broken and open a replacement behind the engine's back. Idle tests that a user turns on with
 * {@code backendProperty("idleConnectionTestPeriod", ...)} use {@link Connection#isValid(int)}.
 */
public final class EngineConnectionTester implements ConnectionTester {
    private static final long serialVersionUID = 1L;
    private static final int VALID_TIMEOUT_SECONDS = 5;

    @Override
    public int activeCheckConnection(Connection c) {
        try {
            return c.isValid(VALID_TIMEOUT_SECONDS) ? CONNECTION_IS_OKAY : CONNECTION_IS_INVALID;
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
