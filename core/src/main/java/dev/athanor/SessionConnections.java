package dev.athanor;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections a session's transaction holds, one per engaged bind, and the settings to give each back before it
 * returns to its pool. Kept apart from the session because the leak detector's cleanup action holds it: it must not
 * reference the session (or anything that does, such as extension attributes).
 */
final class SessionConnections {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.session");

    private final String name;
    private final List<String> bindNames;
    private final Engine[] engines;
    private final Connection[] open;
    /** Per bind: whether session-level settings were changed for the transaction, to be put back at release. */
    private final boolean[] configured;
    /** Binds engaged now. Volatile so the leak detector's thread sees the array as the session last set it. */
    private volatile int engaged;
    /** Told when a bind commits and before its connection goes back; null when nothing listens. */
    private Observer observer;

    SessionConnections(String name, List<String> bindNames, Engine[] engines) {
        this.name = name;
        this.bindNames = bindNames;
        this.engines = engines;
        this.open = new Connection[engines.length];
        this.configured = new boolean[engines.length];
    }

    int size() {
        return open.length;
    }

    Connection get(int bind) {
        return open[bind];
    }

    boolean anyEngaged() {
        return engaged > 0;
    }

    /**
     * Checks a connection out for {@code bind} and applies the transaction's options ({@link TransactionSettings}:
     * on PostgreSQL, MySQL and MariaDB for this transaction only; elsewhere through JDBC, what the connection has
     * already costing nothing, and put back when the bind is released). Under
     * {@link IsolationLevel#AUTOCOMMIT} the bind's statements commit as they run and its commit and rollback do
     * nothing. A connection whose options could not be set is discarded, never returned half-configured.
     */
    Connection engage(int bind, IsolationLevel isolation, Boolean readOnly) {
        return engage(bind, engines[bind].connect(), isolation, readOnly);
    }

    /** As {@link #engage(int, IsolationLevel, Boolean)}, on {@code c}, checked out by the caller (e.g. a replica's). */
    Connection engage(int bind, Connection c, IsolationLevel isolation, Boolean readOnly) {
        if (isolation != null || readOnly != null) {
            TransactionSettings settings = new TransactionSettings(c, isolation, readOnly);
            try {
                configured[bind] = settings.apply();
            } catch (SQLException e) {
                StatementException failure = c.failure(settings.sql(), List.of(), new Object[0], e);
                configured[bind] = false;
                c.invalidate();
                throw failure;
            }
        }
        open[bind] = c;
        engaged++;
        return c;
    }

    /**
     * Commits every engaged bind in bind order and releases every connection. When a bind fails to commit, the later
     * ones are rolled back; if an earlier one had committed, or the failed one is in doubt (its COMMIT was cut off)
     * and later ones were rolled back, the failure is a {@link PartialCommitException}.
     */
    void commitAll() {
        List<String> committed = new ArrayList<>(open.length);
        List<String> rolledBack = new ArrayList<>(0);
        String failedBind = null;
        RuntimeException failure = null;
        try {
            for (int i = 0; i < open.length; i++) {
                Connection c = open[i];
                if (c == null) {
                    continue;
                }
                if (failure == null) {
                    try {
                        c.commit();
                        committed.add(bindNames.get(i));
                        if (observer != null) {
                            observer.committed(i);
                        }
                    } catch (RuntimeException e) {
                        failure = e;
                        failedBind = bindNames.get(i);
                    }
                } else {
                    rolledBack.add(bindNames.get(i));
                    try {
                        c.rollback();
                    } catch (RuntimeException e) {
                        failure.addSuppressed(e);
                    }
                }
            }
        } finally {
            releaseAll();
        }
        if (failure == null) {
            return;
        }
        boolean inDoubt = failure instanceof CommitInDoubtException;
        // A bind in doubt with later binds rolled back is out of step as surely as one that committed.
        if (committed.isEmpty() && !(inDoubt && !rolledBack.isEmpty())) {
            throw failure;
        }
        throw new PartialCommitException(name, committed, failedBind, inDoubt, rolledBack, failure);
    }

    /** Rolls back every engaged bind and releases every connection; returns the first failure (others suppressed). */
    RuntimeException rollbackAll() {
        RuntimeException first = null;
        try {
            for (Connection c : open) {
                if (c == null || c.isClosed()) {
                    continue;
                }
                try {
                    c.rollback();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        } finally {
            releaseAll();
        }
        return first;
    }

    /** After a leak (on the leak detector's thread): rolls back and returns every connection. */
    void reclaimLeaked() {
        RuntimeException failure = rollbackAll();
        if (failure != null) {
            throw failure;
        }
    }

    /** Rolls back one bind's transaction and returns its connection, as if the bind had never been engaged. */
    void abandon(int bind, Throwable failure) {
        Connection c = open[bind];
        if (c != null && !c.isClosed()) {
            c.rollbackQuietly(failure);
        }
        release(bind);
    }

    private void releaseAll() {
        if (engaged == 0) {
            return;
        }
        for (int i = 0; i < open.length; i++) {
            if (open[i] != null) {
                release(i);
            }
        }
    }

    /** Restores the options changed for the transaction (which has ended) and returns the connection. */
    private void release(int bind) {
        Connection c = open[bind];
        open[bind] = null;
        engaged--;
        if (observer != null) {
            observer.released(bind, c);
        }
        boolean restore = configured[bind];
        configured[bind] = false;
        if (c.isClosed()) {
            return;
        }
        if (restore) {
            try {
                // Here rather than at the checkin: a pool that shares its connection (static) puts back only part.
                c.physicalConnection().restore();
            } catch (SQLException | RuntimeException e) {
                // The pool must never hand the next borrower a connection with this transaction's settings.
                LOG.warn("[{}] could not restore the settings of bind '{}' after the transaction; discarding its"
                        + " connection: {}", name, bindNames.get(bind), e.toString());
                c.invalidate();
                return;
            }
        }
        c.close();
    }

    void observe(Observer observer) {
        this.observer = observer;
    }

    /** What replica routing needs to hear of a transaction's end. Must not throw. */
    interface Observer {
        /** {@code bind} committed; its connection is released next. */
        void committed(int bind);

        /** {@code bind}'s connection (open, or closed if it was lost) is about to be restored and returned. */
        void released(int bind, Connection c);
    }
}
