package dev.athanor.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The container's {@link AsyncContext}, with the unit of work ended in {@link #complete()} before the response goes
 * out (so a failed commit can still become a 500), and {@link #start} running its task bound to the request.
 */
final class SessionAsyncContext implements AsyncContext {
    private final AsyncContext delegate;
    private final SessionRequest request;

    SessionAsyncContext(AsyncContext delegate, SessionRequest request) {
        this.delegate = delegate;
        this.request = request;
    }

    boolean wraps(AsyncContext context) {
        return context == delegate;
    }

    @Override
    public void complete() {
        try {
            request.endBeforeComplete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ServletException e) {
            // The response was committed by the handler: do not complete it as if all went well.
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            delegate.complete();
        }
    }

    @Override
    public void start(Runnable run) {
        delegate.start(() -> request.runBound(run));
    }

    @Override
    public ServletRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
        return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
        delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
        delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
        delegate.dispatch(context, path);
    }

    @Override
    public void addListener(AsyncListener listener) {
        delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
        delegate.addListener(listener, servletRequest, servletResponse);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
        return delegate.createListener(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
        delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
        return delegate.getTimeout();
    }
}
