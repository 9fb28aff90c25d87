package dev.athanor.internal.pool;

import dev.athanor.PoolListener;

import java.sql.Connection;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's pool listeners. Kept as a copy-on-write array so firing with no listener costs one volatile read.
 * A listener that throws is logged and skipped: an observer must not break a checkout.
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
        for (PoolListener l : listeners) {
            try {
                l.onConnect(c);
            } catch (RuntimeException e) {
                warn("onConnect", e);
            }
        }
    }

    public void checkout(Connection c) {
        for (PoolListener l : listeners) {
            try {
                l.onCheckout(c);
            } catch (RuntimeException e) {
                warn("onCheckout", e);
            }
        }
    }

    public void checkin(Connection c) {
        for (PoolListener l : listeners) {
            try {
                l.onCheckin(c);
            } catch (RuntimeException e) {
                warn("onCheckin", e);
            }
        }
    }

    public void invalidate(Connection c, Throwable cause) {
        for (PoolListener l : listeners) {
            try {
                l.onInvalidate(c, cause);
            } catch (RuntimeException e) {
                warn("onInvalidate", e);
            }
        }
    }

    public void close(Connection c) {
        for (PoolListener l : listeners) {
            try {
                l.onClose(c);
            } catch (RuntimeException e) {
                warn("onClose", e);
            }
        }
    }

    private void warn(String event, RuntimeException e) {
        LOG.warn("[{}] pool listener failed in {}; ignored", poolName, event, e);
    }
}
