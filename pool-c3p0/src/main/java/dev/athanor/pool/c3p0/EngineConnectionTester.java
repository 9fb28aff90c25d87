package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.ConnectionTester;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The c3p0 {@link ConnectionTester} an Athanor pool runs with; c3p0 makes it from its class name, hence public.
 *
 * <p>c3p0 tests a connection when it is checked in (nothing else: no checkout or idle tests), and only so that a
 * connection the engine discarded, whose physical connection is then already closed, is destroyed rather than kept
 * idle. An exception from a borrowed connection never makes c3p0 drop it: the engine decides that (it invalidates on
 * a disconnect and pings before checkout with {@code poolPrePing}), and c3p0 must not also open a replacement behind
 * the engine's back.
 */
public final class EngineConnectionTester implements ConnectionTester {
    private static final long serialVersionUID = 1L;

    /** Invalid when closed: a local check, no round trip. */
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
