package dev.athanor.web;

import dev.athanor.Session;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet filter of a {@link RequestSessions}: gives each request a lazily opened unit of work and ends it —
 * commit, or roll back, then close and unbind — when the request ends (see {@link RequestSessions} for the rules).
 * Get it from {@link RequestSessions#filter()} and map it to every path for the {@code REQUEST} and {@code ASYNC}
 * dispatcher types, ahead of filters that use the database.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(requests.filter()), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
 * }</pre>
 */
public final class SessionFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.web");

    private final RequestSessions<?> requests;

    SessionFilter(RequestSessions<?> requests) {
        this.requests = requests;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        RequestState existing = (RequestState) request.getAttribute(requests.attribute());
        RequestState state = existing != null ? existing : new RequestState(new SessionResponse(httpResponse));
        ServletRequest passed = request;
        ServletResponse passedResponse = response;
        if (existing == null) {
            request.setAttribute(requests.attribute(), state);
            passed = new SessionRequest(http, state, this);
            passedResponse = state.response();
        }
        RequestState previous = requests.scope().enter(state);
        Throwable failure = null;
        try {
            chain.doFilter(passed, passedResponse);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            requests.scope().restore(previous);
            // A request that went async ends when it completes (SessionAsyncContext) or after a dispatch back here.
            if (failure != null || !request.isAsyncStarted()) {
                end(state, failure, true);
            }
        }
    }

    /** The listener an async request gets: a timeout or error rolls back; completion ends what is still open. */
    AsyncListener listener(RequestState state) {
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                // Normally ended already by AsyncContext.complete() or the last dispatch; this is the safety net
                // (the response is out by now, so a commit failure here can only be logged).
                lateEnd(state, event, null);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                lateEnd(state, event, new IllegalStateException("the async request timed out"));
            }

            @Override
            public void onError(AsyncEvent event) {
                Throwable t = event.getThrowable();
                lateEnd(state, event, t != null ? t : new IllegalStateException("the async request failed"));
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this);
            }
        };
    }

    private void lateEnd(RequestState state, AsyncEvent event, Throwable failure) {
        try {
            end(state, failure, false);
        } catch (IOException | ServletException | RuntimeException e) {
            LOG.error("[{}] the unit of work of a request that already sent its response could not be committed: {}",
                    requests.source().name(), e.toString());
        }
    }

    /**
     * Ends the request's unit of work, once: commit or roll back, then close. A failed commit becomes a 5xx while the
     * response can still be changed; after that the filter throws so the container aborts the response.
     */
    void end(RequestState state, Throwable failure, boolean release) throws IOException, ServletException {
        if (!state.end()) {
            return;
        }
        endSession(state.takeSession(), state.response(), failure);
        // After a throw the container writes the error response; what the handler held back is void.
        if (release && failure == null) {
            state.response().release();
        }
    }

    private void endSession(Session s, HttpServletResponse response, Throwable failure)
            throws IOException, ServletException {
        if (s == null || s.isClosed()) {
            return;
        }
        try {
            if (failure != null || response.getStatus() >= requests.rollbackFromStatus()) {
                s.rollback();
                return;
            }
            try {
                s.commit();
            } catch (RuntimeException commitFailure) {
                commitFailed(response, commitFailure);
            }
        } catch (RuntimeException rollbackFailure) {
            // close() below rolls back again and discards the connection if it must; the request already failed.
            LOG.warn("[{}] rolling back a request's unit of work failed: {}", requests.source().name(),
                    rollbackFailure.toString());
        } finally {
            s.close();
        }
    }

    private void commitFailed(HttpServletResponse response, RuntimeException failure)
            throws IOException, ServletException {
        if (response.isCommitted()) {
            throw new ServletException("[" + requests.source().name() + "] the request's unit of work could not be"
                    + " committed after its response (status " + response.getStatus() + ") was sent", failure);
        }
        LOG.warn("[{}] the request's unit of work could not be committed; answering 500: {}",
                requests.source().name(), failure.toString());
        response.reset();
        requests.onCommitFailure().handle(response, failure);
    }

    RequestSessions<?> requests() {
        return requests;
    }

    @Override
    public String toString() {
        return "SessionFilter[" + requests + "]";
    }
}
