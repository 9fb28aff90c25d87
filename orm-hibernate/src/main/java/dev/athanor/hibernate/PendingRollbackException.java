package dev.athanor.hibernate;

import dev.athanor.AthanorException;

/**
 * The unit of work failed (a Hibernate flush or operation threw) and must be rolled back before the session is used
 * again: SQLAlchemy's {@code PendingRollbackError}. Thrown by {@code commit()}, {@code beginNested()}, the session's
 * statements and the Hibernate sessions' operations until {@code rollback()} (or a rollback to a savepoint set before
 * the failure).
 */
public class PendingRollbackException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public PendingRollbackException(String message) {
        super(message);
    }
}
