package dev.athanor.internal.pool;

import dev.athanor.InvalidationReason;
import dev.athanor.PoolListener;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's pool listeners. Kept as a copy-on-write array so firing with no listener costs one volatile read.
 * A listener that throws an exception (checked ones too, thrown sneakily) is logged and skipped: an observer must not
 * break a checkout. An {@link Error} from a connect, checkout, checkin or invalidate event is not swallowed: every
 * listener is still told, then the first Error is rethrown, and the pool's callers return or discard the connection
 * before it propagates (see {@code ManagedPool}). An Error from the other events (fired where a pool's bookkeeping
 * is under way, or on a failure path that is already throwing) is logged at ERROR.
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

    /** Whether any listener is registered: durations are measured only then. */
    public boolean active() {
        return listeners.length > 0;
    }

    public void connect(Connection c, long connectNanos) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onConnect(c, connectNanos);
            } catch (Exception e) {
                warn("onConnect", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void checkout(Connection c, long waitNanos) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onCheckout(c, waitNanos);
            } catch (Exception e) {
                warn("onCheckout", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void checkin(Connection c, long heldNanos) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onCheckin(c, heldNanos);
            } catch (Exception e) {
                warn("onCheckin", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void invalidate(Connection c, Throwable cause, InvalidationReason reason) {
        Error error = null;
        for (PoolListener l : listeners) {
            try {
                l.onInvalidate(c, cause, reason);
            } catch (Exception e) {
                warn("onInvalidate", e);
            } catch (Error e) {
                error = firstOf(error, e);
            }
        }
        rethrow(error);
    }

    public void checkoutWaited(long waitedNanos) {
        fire("onCheckoutWaited", l -> l.onCheckoutWaited(waitedNanos));
    }

    public void checkoutTimeout(long waitedNanos) {
        fire("onCheckoutTimeout", l -> l.onCheckoutTimeout(waitedNanos));
    }

    public void connectFailure(Throwable failure) {
        fire("onConnectFailure", l -> l.onConnectFailure(failure));
    }

    public void invalidateAll(Throwable cause) {
        fire("onInvalidateAll", l -> l.onInvalidateAll(cause));
    }

    public void close(Connection c) {
        // Fired from inside a backend (often on its own thread) once the connection is closed: an Error thrown
        // through the backend's bookkeeping could corrupt its counts, so it is reported, not thrown.
        fire("onClose", l -> l.onClose(c));
    }

    /** Fires an event whose Errors are logged, not rethrown (see the class comment). */
    private void fire(String event, Consumer<PoolListener> call) {
        for (PoolListener l : listeners) {
            try {
                call.accept(l);
            } catch (Exception e) {
                warn(event, e);
            } catch (Error e) {
                LOG.error("[{}] pool listener failed in {} with an Error; not rethrown", poolName, event, e);
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
