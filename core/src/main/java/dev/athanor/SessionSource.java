package dev.athanor;

/**
 * Something that opens sessions: a {@link SessionFactory}, or an extension's factory whose sessions are richer
 * {@link Session}s (the MyBatis module's). It gives every source the same transaction blocks, and it is what a
 * {@link ScopedSession} draws its sessions from.
 *
 * <pre>{@code
 * long id = sessions.inTransaction(s ->
 *         s.execute("INSERT INTO users(name) VALUES (:n)", Map.of("n", "ann")).generatedKeys().scalar(Long.class));
 * sessions.useTransaction(RetryPolicy.serializable().maxAttempts(5), s -> transfer(s, from, to, amount));
 * }</pre>
 *
 * @param <S> the type of session opened
 */
public interface SessionSource<S extends Session> {
    /** Opens a new session. It holds no connection until its first statement; close it when done. */
    S openSession();

    /** The name that prefixes log lines about this source's sessions. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * The seed's {@code get_session()} block: opens a session, runs {@code work}, commits and closes. When
     * {@code work} (or the commit) throws, the session is rolled back and the original exception rethrown, a
     * rollback failure added to it as suppressed; the session is closed in every case.
     */
    default <T, X extends Exception> T inTransaction(SessionCallback<S, T, X> work) throws X {
        return Transactions.once(this, work);
    }

    /** {@link #inTransaction(SessionCallback)} without a result. */
    default <X extends Exception> void useTransaction(SessionConsumer<S, X> work) throws X {
        Transactions.once(this, Transactions.callback(work));
    }

    /**
     * {@link #inTransaction(SessionCallback)}, rerun as a whole in a new session when it fails with an error the
     * policy retries (serialization failures and deadlocks for {@link RetryPolicy#serializable()}), with backoff in
     * between. Each retry is logged at WARN on {@code dev.athanor.session}. After the last attempt the last error is
     * thrown, the earlier ones added to it as suppressed. A unit whose commit may have gone through (a
     * {@link CommitInDoubtException} or {@link PartialCommitException}) is never rerun, whatever the policy.
     */
    default <T, X extends Exception> T inTransaction(RetryPolicy retry, SessionCallback<S, T, X> work) throws X {
        return Transactions.retrying(this, retry, work);
    }

    /** {@link #inTransaction(RetryPolicy, SessionCallback)} without a result. */
    default <X extends Exception> void useTransaction(RetryPolicy retry, SessionConsumer<S, X> work) throws X {
        Transactions.retrying(this, retry, Transactions.callback(work));
    }

    /** A unit of work given a session, returning a result; may throw {@code X}. */
    @FunctionalInterface
    interface SessionCallback<S extends Session, T, X extends Exception> {
        T apply(S session) throws X;
    }

    /** A unit of work given a session; may throw {@code X}. */
    @FunctionalInterface
    interface SessionConsumer<S extends Session, X extends Exception> {
        void accept(S session) throws X;
    }
}
