package dev.athanor.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request as the handler sees it: the same, except that going async returns an {@link AsyncContext} that ends
 * the unit of work on {@code complete()} and binds the request on the threads it {@code start}s.
 */
final class SessionRequest extends HttpServletRequestWrapper {
    private final RequestState state;
    private final SessionFilter filter;
    private volatile SessionAsyncContext async;

    SessionRequest(HttpServletRequest request, RequestState state, SessionFilter filter) {
        super(request);
        this.state = state;
        this.filter = filter;
    }

    @Override
    public AsyncContext startAsync() {
        return wrap(super.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return wrap(super.startAsync(request, response));
    }

    @Override
    public AsyncContext getAsyncContext() {
        SessionAsyncContext mine = async;
        AsyncContext current = super.getAsyncContext();
        return mine != null && mine.wraps(current) ? mine : current;
    }

    private AsyncContext wrap(AsyncContext context) {
        context.addListener(filter.listener(state));
        SessionAsyncContext wrapped = new SessionAsyncContext(context, this);
        async = wrapped;
        return wrapped;
    }

    void endBeforeComplete() throws IOException, jakarta.servlet.ServletException {
        filter.end(state, null, true);
    }

    void runBound(Runnable task) {
        filter.requests().runIn(state, task);
    }
}
