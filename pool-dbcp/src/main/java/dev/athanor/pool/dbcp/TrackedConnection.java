package dev.athanor.pool.dbcp;

import dev.athanor.spi.support.DelegatingConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The source's connection as DBCP holds it, one layer under DBCP's {@code PoolableConnection}. It remembers whether a
 * borrower changed the isolation level, so that the level is put back on return without asking the driver on every
 * checkout (PgJDBC answers {@code getTransactionIsolation()} with a round trip, which DBCP's
 * {@code defaultTransactionIsolation} would pay at each borrow), and whether the backend discarded it. Its
 * {@link #isClosed()} reports only closes by the pool (see there).
 *
 * <p>Used by one borrower at a time; the pool's hand-off orders the accesses, so plain fields suffice.
 */
final class TrackedConnection extends DelegatingConnection {
    static final int UNKNOWN_ISOLATION = -1;

    /** The engine's isolation level, or {@link #UNKNOWN_ISOLATION} when connections keep the driver's default. */
    private final int engineIsolation;
    /** The level to put back on return; {@link #UNKNOWN_ISOLATION} while no borrower changed it. */
    private int isolationToRestore = UNKNOWN_ISOLATION;
    private boolean discarded;
    private volatile boolean closed;
    /** Told once when the connection closes, so the backend stops tracking it. */
    private final Consumer<TrackedConnection> onClose;

    TrackedConnection(Connection physical, int engineIsolation, Consumer<TrackedConnection> onClose) {
        super(physical);
        this.engineIsolation = engineIsolation;
        this.onClose = onClose;
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if (isolationToRestore == UNKNOWN_ISOLATION) {
            // Ask the driver for the level in force only when it is about to change (and only without an engine
            // level): the common path never pays for it.
            isolationToRestore = engineIsolation != UNKNOWN_ISOLATION
                    ? engineIsolation : delegate.getTransactionIsolation();
        }
        delegate.setTransactionIsolation(level);
    }

    /** Puts back the isolation level a borrower changed; a no-op when none did. */
    void restoreIsolation() throws SQLException {
        int level = isolationToRestore;
        if (level != UNKNOWN_ISOLATION) {
            delegate.setTransactionIsolation(level);
            isolationToRestore = UNKNOWN_ISOLATION;
        }
    }

    /** Marks the connection to be destroyed instead of kept when it reaches the pool. */
    void discard() {
        discarded = true;
    }

    boolean isDiscarded() {
        return discarded;
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        try {
            delegate.close();
        } finally {
            onClose.accept(this);
        }
    }

    /**
     * Whether the pool closed this connection; deliberately not whether the driver considers it dead. DBCP's
     * {@code PoolableConnection} answers a closed delegate (in its {@code isClosed()}, which its {@code isValid()}
     * calls) with {@code GenericObjectPool.invalidateObject}, which opens a replacement at once and bypasses the
     * engine; the engine finds dead connections itself (pre-ping, disconnect errors) and discards them through the
     * backend.
     */
    @Override
    public boolean isClosed() {
        return closed;
    }
}
