package dev.athanor;

/**
 * Pool events, fired the same way whatever the backend (SQLAlchemy's pool events). Every method has an empty
 * default; listeners run on the thread that caused the event and must be quick and must not throw. An exception
 * from a listener (checked ones too) is logged at WARN and ignored. An {@link Error} from {@code onCheckout},
 * {@code onCheckin}, {@code onInvalidate} or {@code onConnect} propagates to the caller, but only once the pool is
 * in order: the connection has been returned (a failed {@code onCheckout} also fires {@code onCheckin}), discarded
 * or closed, and every other listener was told; an Error from {@code onClose} is logged at ERROR.
 *
 * <pre>{@code
 * engine.addListener(new PoolListener() {
 *     public void onConnect(java.sql.Connection physical) { opened.increment(); }
 * });
 * }</pre>
 */
public interface PoolListener {
    /** A new physical connection was opened. */
    default void onConnect(java.sql.Connection physical) {
    }

    /** A connection was handed to a borrower. */
    default void onCheckout(java.sql.Connection pooled) {
    }

    /** A borrower returned a connection (after reset on return). */
    default void onCheckin(java.sql.Connection pooled) {
    }

    /** A connection was discarded instead of returned: failed pre-ping, recycle, disconnect or explicit invalidate. */
    default void onInvalidate(java.sql.Connection pooled, Throwable cause) {
    }

    /** A physical connection was closed. */
    default void onClose(java.sql.Connection physical) {
    }
}
