package dev.athanor.web;

import dev.athanor.ConfigurationException;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionSource;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One unit of work per HTTP request (Flask's {@code scoped_session} with {@code teardown_request}): a
 * {@link ScopedSession} whose scope is the request, and the {@link SessionFilter} that ends each request's session.
 * Make one at start-up over a {@link SessionSource} (a {@code SessionFactory}, or the MyBatis module's factory),
 * register its filter for every request, and reach the request's session from handler code through {@link #db()}.
 *
 * <pre>{@code
 * RequestSessions<Session> requests = RequestSessions.of(sessions);
 * ScopedSession<Session> db = requests.db();
 *
 * // Jetty (ee11); Tomcat and Undertow take the filter the same way, Spring Boot through a FilterRegistrationBean
 * context.addFilter(new FilterHolder(requests.filter()), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
 *
 * // in a servlet: the session opens on first use; the filter commits it when the request ends
 * db.execute("users", "INSERT INTO users(name) VALUES (:n)", Map.of("n", "ann"));
 * }</pre>
 *
 * <h2>How a request's unit of work ends</h2>
 * <ul>
 * <li>A request that never uses {@link #db()} checks out nothing and has nothing to end.</li>
 * <li>When the handler returns normally and the response status is below {@link Builder#rollbackFromStatus} (500 by
 * default), the session is committed; when the handler throws, or the status is at or above that threshold, it is
 * rolled back. With the default, a <b>4xx response commits</b>: the handler completed and chose the response, and
 * what it wrote stays written. A handler that refuses a request after writing should throw, call
 * {@code db.rollback()}, or the application should use {@code rollbackFromStatus(400)} (the example application
 * does).</li>
 * <li>The session is always closed and unbound from the request, whatever happened.</li>
 * <li>A commit that fails turns the response into a 500 (through {@link Builder#onCommitFailure}), never a silent
 * 200. The commit runs before the container sends the response, so this holds as long as the handler did not
 * commit the response itself (by flushing, or writing more than the response buffer); if it did, the status has gone
 * out, and the filter throws so the container aborts the response instead of completing it.</li>
 * </ul>
 *
 * <h2>Async servlets and virtual threads</h2>
 * The session belongs to the request, not to a thread: it is kept in the request, and a thread is bound to the
 * request only while it runs the request through the filter, a runnable given to {@code AsyncContext.start}, or one
 * wrapped by {@link #propagate}. A request resumed on another thread sees the same session; a pooled thread (or
 * virtual-thread carrier) never carries a session into the next request. An async request's unit of work ends when
 * the application calls {@code AsyncContext.complete()} (before the response is sent), or when the request returns
 * from an {@code AsyncContext.dispatch()} without going async again (map the filter for {@code ASYNC} dispatches
 * too); an async timeout or error rolls it back. Use the session from one thread at a time.
 *
 * @param <S> the type of session, {@link Session} or an extension's
 */
public final class RequestSessions<S extends Session> {
    private final SessionSource<S> source;
    private final RequestScope scope;
    private final ScopedSession<S> db;
    private final int rollbackFromStatus;
    private final CommitFailureHandler onCommitFailure;
    private final String attribute;

    private RequestSessions(Builder<S> b) {
        this.source = b.source;
        this.scope = new RequestScope(b.source.name());
        this.db = ScopedSession.of(b.source, scope);
        this.rollbackFromStatus = b.rollbackFromStatus;
        this.onCommitFailure = b.onCommitFailure;
        // One attribute per instance: two RequestSessions (two filters) on one request never see each other's state.
        this.attribute = RequestSessions.class.getName() + "@" + Integer.toHexString(System.identityHashCode(this));
    }

    /** Request sessions from {@code source} with the defaults (commit below 500, a 500 on a failed commit). */
    public static <S extends Session> RequestSessions<S> of(SessionSource<S> source) {
        return builder(source).build();
    }

    /** A builder for request sessions from {@code source}. */
    public static <S extends Session> Builder<S> builder(SessionSource<S> source) {
        return new Builder<>(source);
    }

    /**
     * The request's session, as a {@link ScopedSession}: {@code db().current()} opens it on first use in a request;
     * {@code db().execute(...)}, {@code db().commit()} act on it. Outside a request it throws
     * {@link IllegalStateException}.
     */
    public ScopedSession<S> db() {
        return db;
    }

    /** The filter that gives every request its unit of work and ends it; register it for REQUEST and ASYNC. */
    public SessionFilter filter() {
        return new SessionFilter(this);
    }

    /**
     * {@code task}, bound to the calling thread's request when it runs: for work handed to an executor of the
     * application's own in an async request. The request must still be going on when it runs.
     */
    public Runnable propagate(Runnable task) {
        Objects.requireNonNull(task, "task");
        RequestState state = scope.state();
        return () -> runIn(state, task);
    }

    /** True when the calling thread is running a request that went through this instance's filter. */
    public boolean inRequest() {
        return scope.active();
    }

    /** Where sessions come from. */
    public SessionSource<S> source() {
        return source;
    }

    void runIn(RequestState state, Runnable task) {
        RequestState previous = scope.enter(state);
        try {
            task.run();
        } finally {
            scope.restore(previous);
        }
    }

    RequestScope scope() {
        return scope;
    }

    String attribute() {
        return attribute;
    }

    int rollbackFromStatus() {
        return rollbackFromStatus;
    }

    CommitFailureHandler onCommitFailure() {
        return onCommitFailure;
    }

    @Override
    public String toString() {
        return "RequestSessions[" + source.name() + ", rollbackFromStatus=" + rollbackFromStatus + "]";
    }

    /** Writes the response of a request whose commit failed; the response has been reset. */
    @FunctionalInterface
    public interface CommitFailureHandler {
        /** Writes a 5xx response for {@code failure} (the default sends 500 through the container's error page). */
        void handle(HttpServletResponse response, RuntimeException failure) throws IOException;
    }

    /** Options of {@link RequestSessions}; {@link #build()} reports every problem in one exception. */
    public static final class Builder<S extends Session> {
        private final SessionSource<S> source;
        private int rollbackFromStatus = 500;
        private CommitFailureHandler onCommitFailure = (response, failure) ->
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "the request's changes could not be"
                        + " committed");

        private Builder(SessionSource<S> source) {
            this.source = source;
        }

        /**
         * The lowest response status that rolls the request's session back instead of committing it: 500 (the
         * default) commits 4xx responses, 400 rolls them back too. Between 400 and 500.
         */
        public Builder<S> rollbackFromStatus(int status) {
            this.rollbackFromStatus = status;
            return this;
        }

        /** What to send when the commit at the end of a request fails; it must send a 5xx status. */
        public Builder<S> onCommitFailure(CommitFailureHandler handler) {
            this.onCommitFailure = handler;
            return this;
        }

        /**
         * Makes the request sessions.
         *
         * @throws ConfigurationException listing every problem
         */
        public RequestSessions<S> build() {
            List<String> problems = new ArrayList<>();
            if (source == null) {
                problems.add("source must not be null: give a SessionFactory or another SessionSource");
            }
            if (rollbackFromStatus < 400 || rollbackFromStatus > 500) {
                problems.add("rollbackFromStatus must be between 400 and 500, was " + rollbackFromStatus);
            }
            if (onCommitFailure == null) {
                problems.add("onCommitFailure must not be null");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException("Invalid request sessions: ", problems);
            }
            return new RequestSessions<>(this);
        }
    }
}
