package dev.athanor.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A physical connection as the engine opened it, whatever pool holds it. It remembers when it was opened (for
 * recycle and pool-wide invalidation) and whether it has been handed out yet (a connection just opened is not
 * pre-pinged), and it reports its physical close, so the engine fires {@code onClose} the same way for every backend.
 */
public final class PhysicalConnection extends DelegatingConnection {

    /** Told once when the physical connection closes. */
    public interface CloseListener {
        void closed(PhysicalConnection connection);
    }

    private final long openedAtNanos;
    private final CloseListener closeListener;
    private volatile boolean handedOut;
    private volatile boolean closed;

    public PhysicalConnection(Connection delegate, long openedAtNanos, CloseListener closeListener) {
        super(delegate);
        this.openedAtNanos = openedAtNanos;
        this.closeListener = closeListener;
    }

    /** {@link System#nanoTime()} when the connection was opened. */
    public long openedAtNanos() {
        return openedAtNanos;
    }

    /**
     * Marks the connection as handed out; returns true the first time only, when it is fresh from the database.
     * Pools hand a connection to one borrower at a time, so a plain volatile is enough.
     */
    public boolean markHandedOut() {
        if (handedOut) {
            return false;
        }
        handedOut = true;
        return true;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            delegate.close();
        } finally {
            closeListener.closed(this);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }
}
