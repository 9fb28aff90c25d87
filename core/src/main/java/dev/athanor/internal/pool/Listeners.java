package dev.athanor.internal.pool;

import dev.athanor.PoolListener;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's pool listeners. Kept as a copy-on-write array so firing with no listener costs one volatile read.
 * A listener that throws an exception (checked ones too, thrown sneakily) is logged and skipped: an observer must not
 * break a checkout. An {@link Error} is not swallowed: every listener is still told, then the first Error is
 * rethrown, and the pool's callers return or discard the connection before it propagates (see
 * {@code ManagedPool}).
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.pool");
    private static final PoolListener[] NONE = new PoolListener[0];

    private final String poolName;
    private volatile PoolListener[] listeners = NONE;

    public Listeners(String poolName) {
        this.poolName = poolName;
    }

    public synchronized void add(PoolListener listener) {
        Objects.requireNonNull(listener, "listener");
        PoolListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = listener;
        listeners = next;
    }

    public synchronized boolean remove(PoolListener listener) {
        PoolListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                PoolListener[] next = new PoolListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = next;
                return true;
            }
        }
        return false;
    }

    public void connect(Connection c) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onConnect(c);
            } catch (Exception e) {
                warn("onConnect", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void checkout(Connection c) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onCheckout(c);
            } catch (Exception e) {
                warn("onCheckout", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void checkin(Connection c) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onCheckin(c);
            } catch (Exception e) {
                warn("onCheckin", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void invalidate(Connection c, Throwable cause) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onInvalidate(c, cause);
            } catch (Exception e) {
                warn("onInvalidate", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void close(Connection c) {
        for (PoolListener l : listeners) {
            try {
                l.onClose(c);
            } catch (Exception e) {
                warn("onClose", e);
            } catch (Error e) {
                // Fired from inside a backend (often on its own thread) once the connection is closed: an Error
                // thrown through the backend's bookkeeping could corrupt its counts, so it is reported, not thrown.
                LOG.error("[{}] pool listener failed in onClose with an Error; not rethrown", poolName, e);
            }
        }
    }

    private void warn(String event, Exception e) {
        LOG.warn("[{}] pool listener failed in {}; ignored", poolName, event, e);
    }

    private static Error firstOf(Error first, Error next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    private static void rethrow(Error error) {
        if (error != null) {
            throw error;
        }
    }
}
