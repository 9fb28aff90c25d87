package dev.athanor;

/**
 * A checkout was interrupted ({@link Thread#interrupt()}) while it waited for a connection or for one to be opened.
 * Nothing was borrowed and the pool's counts are as before; the thread's interrupt status is kept set, so the
 * caller's own cancellation logic sees it. Not a {@link PoolTimeoutException} (the pool may have had room) nor a
 * {@link DisconnectionException} (the database may be fine): the caller asked to stop.
 *
 * <pre>{@code
 * try (Connection c = engine.connect()) {
 *     ...
 * } catch (CheckoutInterruptedException e) {
 *     return; // the task was cancelled
 * }
 * }</pre>
 */
public class CheckoutInterruptedException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public CheckoutInterruptedException(String poolName, Throwable cause) {
        super("[" + poolName + "] checkout interrupted while waiting for a connection", cause);
    }
}
