package dev.athanor.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where one pool keeps its connections: a store that hands out, keeps, opens and closes them, made by a
 * {@link PoolProvider} from a {@link PoolSpec}. Thread-safe.
 *
 * <p>The pool's rules are the engine's, the same for every backend (see {@code docs/semantics.md}): the
 * {@code poolSize + maxOverflow} cap and the queue of waiting checkouts, the {@code poolTimeout} and its message, the
 * idle cap, the counts, pre-ping, recycle, pool-wide invalidation, reset on return, session state put back on return,
 * and events. A backend does none of that. In particular:
 * <ul>
 *   <li>{@link #take()} is only called for a checkout that holds one of the engine's slots, so there is always room
 *       for one more connection: a backend never waits for capacity, and its native pool's own cap (if it has one)
 *       must be at least {@link PoolSpec#maxConnections()}.</li>
 *   <li>{@link #keep(Connection)} is only called while fewer than {@link PoolSpec#poolSize()} connections are idle;
 *       otherwise the engine calls {@link #discard(Connection)}. A backend keeps what it is given.</li>
 *   <li>Borrowers use the engine's own connection (what {@link ConnectionSource#connect()} returned), reached by
 *       {@link Connection#unwrap unwrapping} what {@link #take()} returned; the backend's object (a native pool's
 *       proxy, say) is only ever given back to {@link #keep} or {@link #discard}.</li>
 * </ul>
 */
public interface PoolBackend {

    /**
     * Hands out an idle connection, or opens a new one through the {@link ConnectionSource} when none is idle. What
     * it returns must {@link Connection#unwrap unwrap} to the connection {@code ConnectionSource.connect()} returned.
     *
     * @throws SQLException the connect failure, once, to this caller: no retry behind its back (a native pool that
     *                      connects on its own threads delivers the failure here, see
     *                      {@link dev.athanor.spi.support.ConnectFailures})
     */
    Connection take() throws SQLException;

    /** Keeps a connection from {@link #take()} idle, for a later {@link #take()}. The engine has already reset it. */
    void keep(Connection connection) throws SQLException;

    /** Closes a connection from {@link #take()} (the physical connection too) and forgets it. Never throws. */
    void discard(Connection connection);

    /** Closes every idle connection; the backend stays usable and opens new ones on demand. */
    void dispose();

    /** Closes every connection, borrowed ones included, and releases the backend's threads. Idempotent. */
    void close();

    /**
     * The native pool object ({@code HikariDataSource}, {@code GenericObjectPool}, …), for what Athanor does not wrap.
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
