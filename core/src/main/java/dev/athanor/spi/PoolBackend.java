package dev.athanor.spi;

import dev.athanor.PoolStatus;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One pool of connections to one database, made by a {@link PoolProvider} from a {@link PoolSpec}. Thread-safe.
 *
 * <p>A backend keeps, hands out and closes connections; the engine around it does pre-ping, recycle, pool-wide
 * invalidation, reset on return and events. The connections a backend hands out may be its own proxies, but they
 * must {@link Connection#unwrap unwrap} to the connection {@link ConnectionSource#connect()} returned.
 */
public interface PoolBackend {

    /**
     * Borrows a connection, opening one when none is idle and the limit allows. When the limit is reached, waits at
     * most {@link PoolSpec#poolTimeout()} and then throws {@link PoolSpec#timeoutException(Throwable)}, never earlier.
     *
     * @throws SQLException when opening a new connection failed; the pool's counts must be as they were
     */
    Connection checkout() throws SQLException;

    /**
     * Returns a connection borrowed from {@link #checkout()}; the engine has already reset it. If {@link PoolSpec#maxIdle()}
     * connections are idle already, the connection is closed instead of kept.
     */
    void checkin(Connection connection) throws SQLException;

    /** Closes a borrowed connection instead of returning it and frees its slot. Never throws. */
    void invalidate(Connection connection);

    /** The current counts. Never negative; consistent with the connections actually open. */
    PoolStatus status();

    /** Closes every idle connection; the pool stays usable and opens new ones on demand. */
    void dispose();

    /** Closes every connection and releases the backend's threads. Idempotent. */
    void close();

    /** What this backend honours exactly, approximately or not at all. */
    Capabilities capabilities();

    /**
     * The native pool object ({@code HikariDataSource}, {@code BasicDataSource}, …), for what Athanor does not wrap.
     *
     * @throws IllegalArgumentException when the backend has no object of that type
     */
    default <T> T unwrap(Class<T> type) {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new IllegalArgumentException(getClass().getName() + " does not wrap a " + type.getName());
    }
}
