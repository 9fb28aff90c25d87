package dev.athanor;

/** What the pool does to a connection when it is checked in (SQLAlchemy's {@code pool_reset_on_return}). */
public enum ResetOnReturn {
    /** Roll back whatever the borrower left open (the default). */
    ROLLBACK,
    /** Commit whatever the borrower left open. */
    COMMIT,
    /** Leave the connection as it is: only for autocommit workloads that never leave a transaction open. */
    NONE
}
