package dev.athanor;

import dev.athanor.SessionSource.SessionCallback;
import dev.athanor.SessionSource.SessionConsumer;
import dev.athanor.internal.Arguments;
import dev.athanor.spi.ForwardingSession;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The transaction blocks of {@link SessionSource}: one attempt, and attempts under a {@link RetryPolicy}. */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.session");

    private Transactions() {
    }

    static <S extends Session, X extends Exception> SessionCallback<S, Void, X> callback(SessionConsumer<S, X> work) {
        Arguments.notNull(work, "work");
        return s -> {
            work.accept(s);
            return null;
        };
    }

    /** Opens a session, runs {@code work}, commits; rolls back on any throwable; always closes. */
    static <S extends Session, T, X extends Exception> T once(SessionSource<S> source, SessionCallback<S, T, X> work)
            throws X {
        return once(source, work, null, 1);
    }

    /** {@link #once}; a failure that {@code policy} will retry after {@code attempt} is told to the listeners first. */
    private static <S extends Session, T, X extends Exception> T once(SessionSource<S> source,
            SessionCallback<S, T, X> work, RetryPolicy policy, int attempt) throws X {
        Arguments.notNull(work, "work");
        try (S session = source.openSession()) {
            T result;
            try {
                result = work.apply(session);
            } catch (Throwable t) {
                tellRetry(session, policy, attempt, t);
                rollbackQuietly(session, t);
                throw t;
            }
            try {
                session.commit();
            } catch (RuntimeException | Error t) {
                tellRetry(session, policy, attempt, t); // the commit ended the transaction already
                throw t;
            }
            return result;
        }
    }

    private static void tellRetry(Session session, RetryPolicy policy, int attempt, Throwable t) {
        Session own = ForwardingSession.innermost(session);
        if (policy != null && own instanceof DefaultSession && willRetry(policy, attempt, t)) {
            ((DefaultSession) own).beforeRetry(session, attempt, t);
        }
    }

    /** Rolls back after {@code failure} (if {@code session} is open); a rollback error is added to it as suppressed. */
    static void rollbackQuietly(Session session, Throwable failure) {
        if (session == null || session.isClosed()) {
            return;
        }
        try {
            session.rollback();
        } catch (RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    static <S extends Session, T, X extends Exception> T retrying(SessionSource<S> source, RetryPolicy policy,
                                                                 SessionCallback<S, T, X> work) throws X {
        Arguments.notNull(policy, "retry policy");
        Arguments.notNull(work, "work");
        List<Throwable> earlier = null;
        for (int attempt = 1; ; attempt++) {
            try {
                return once(source, work, policy, attempt);
            } catch (Throwable t) {
                if (!willRetry(policy, attempt, t)) {
                    throw withEarlier(t, earlier);
                }
                long delayNanos = policy.backoffNanos(attempt);
                LOG.warn("[{}] unit of work failed on attempt {} of {} ({}); retrying in {} ms", source.name(),
                        attempt, policy.maxAttempts(), RetryPolicy.describe(t),
                        TimeUnit.NANOSECONDS.toMillis(delayNanos));
                if (earlier == null) {
                    earlier = new ArrayList<>(policy.maxAttempts() - 1);
                }
                earlier.add(t);
                try {
                    TimeUnit.NANOSECONDS.sleep(delayNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    earlier.remove(earlier.size() - 1);
                    t.addSuppressed(e);
                    throw withEarlier(t, earlier);
                }
            }
        }
    }

    private static boolean willRetry(RetryPolicy policy, int attempt, Throwable t) {
        return attempt < policy.maxAttempts() && policy.shouldRetry(t);
    }

    /**
     * Throws {@code last} with the earlier attempts' failures suppressed. It is unchecked or the callback's declared
     * {@code X}, so the caller's {@code throws X} stays truthful; the return type only lets callers write
     * {@code throw}.
     */
    private static RuntimeException withEarlier(Throwable last, List<Throwable> earlier) {
        if (earlier != null) {
            for (Throwable e : earlier) {
                last.addSuppressed(e);
            }
        }
        throw Transactions.<RuntimeException>sneaky(last);
    }

    /** Rethrows {@code t} unchanged: it is an unchecked throwable or the callback's declared {@code X}. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
