package dev.athanor;

/**
 * Transaction events of the sessions of one {@link SessionFactory}, for extensions that keep per-session state (the
 * MyBatis module flushes its batches before commit and clears its local cache on commit, rollback and rollback to a
 * savepoint). Every method has an empty default. Listeners run on the session's thread, in the order they were
 * added, and receive the session itself (keep state in {@link Session#attribute(Class, java.util.function.Supplier)}).
 *
 * <pre>{@code
 * SessionFactory sessions = SessionFactory.builder().bind(engine)
 *         .listener(new SessionListener() {
 *             public void beforeCommit(Session s) { s.attribute(Batch.class).ifPresent(Batch::flush); }
 *             public void afterCommit(Session s) { s.attribute(Cache.class).ifPresent(Cache::clear); }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>An exception from {@link #afterBegin}, {@link #beforeConnectionUse} or {@link #beforeCommit} propagates and stops
 * the operation (the statement does not run or the connection is not handed out; the commit does not happen and the
 * transaction stays open, so it can be rolled back). An exception from the other methods — called once the work is
 * done — is logged at WARN and ignored, and the remaining listeners still run.
 */
public interface SessionListener {
    /**
     * A transaction began on {@code bind}: its connection was checked out with the transaction's options applied.
     * Called once per bind the transaction engages, before the statement that engaged it runs.
     */
    default void afterBegin(Session session, String bind, Connection connection) {
    }

    /**
     * The session is about to run a statement on its connection of {@code bind}, or to hand that connection out, for a
     * caller from outside the session: {@link Session#execute} and {@link Session#executeMany} (before the statement
     * runs), {@link Session#connection()} and {@link Session#connection(String)} (before the caller runs its own
     * statements on it — MyBatis does, once per mapper statement). The connection is checked out and its transaction
     * begun after this call if needed. The Hibernate module flushes that bind's pending entity changes here so that
     * those statements see them. Not called for the statements the session sends itself (commit, rollback,
     * savepoints), nor for an {@code execute(...)} or {@code connection(...)} call made while this method runs (a
     * listener may use the session without calling itself again). Called after the session is checked open and before
     * the connection is looked up; an exception propagates, the statement does not run and the connection is not
     * handed out.
     */
    default void beforeConnectionUse(Session session, String bind) {
    }

    /** {@link Session#commit()} is about to commit (called even when no bind is engaged yet). */
    default void beforeCommit(Session session) {
    }

    /** The transaction committed on every bind. */
    default void afterCommit(Session session) {
    }

    /**
     * The transaction ended without committing: {@link Session#rollback()}, {@link Session#close()} with a transaction
     * open, or a failed commit (including a {@link PartialCommitException}).
     */
    default void afterRollback(Session session) {
    }

    /**
     * A commit over several binds committed some of them and then failed ({@code failure} is what the commit throws;
     * {@code afterRollback} follows). For alerting: the binds are out of step.
     */
    default void afterPartialCommit(Session session, PartialCommitException failure) {
    }

    /**
     * A unit of work run under a {@link RetryPolicy} failed on {@code session} with a failure the policy retries, and
     * runs again on a new session after the back-off; {@code attempt} is the attempt that failed (from 1). Called
     * before the failed attempt is rolled back and its session closed.
     */
    default void beforeRetry(Session session, int attempt, Throwable failure) {
    }

    /** A nested transaction was rolled back to its savepoint; the outer transaction goes on. */
    default void afterRollbackToSavepoint(Session session, SessionSavepoint savepoint) {
    }

    /** {@link Session#close()} was called on an open session; it is still usable during this call. */
    default void beforeClose(Session session) {
    }
}
