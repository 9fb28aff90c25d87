package dev.athanor;

/**
 * Pool events, fired the same way whatever the backend (SQLAlchemy's pool events, plus what a metrics library needs:
 * waits, timeouts, failed connects and how long things took). Every method has an empty default, and each timed
 * variant calls the untimed one by default, so a listener overrides only what it needs. Listeners run on the thread
 * that caused the event and must be quick and must not throw. An exception from a listener (checked ones too) is
 * logged at WARN and ignored. An {@link Error} from a checkout, checkin, invalidate or connect event propagates to
 * the caller, but only once the pool is in order: the connection has been returned (a failed checkout event also
 * fires the checkin events), discarded or closed, and every other listener was told; an Error from any other event
 * is logged at ERROR.
 *
 * <p>Durations are nanoseconds from {@link System#nanoTime()}; they are measured only while at least one listener is
 * registered (a listener added while a checkout is under way may see 0 for that checkout).
 *
 * <p>The order for one checkout: {@code onCheckoutWaited} (only when every connection was in use and it queued),
 * then — if it had to open one — {@code onConnect}, then for each connection found unfit {@code onInvalidate}, and
 * last {@code onCheckout}; or {@code onCheckoutTimeout} / {@code onConnectFailure} when it fails.
 *
 * <pre>{@code
 * engine.addListener(new PoolListener() {
 *     public void onConnect(java.sql.Connection physical) { opened.increment(); }
 *     public void onCheckoutTimeout(long waitedNanos) { timeouts.increment(); }
 * });
 * }</pre>
 */
public interface PoolListener {
    /** A new physical connection was opened. */
    default void onConnect(java.sql.Connection physical) {
    }

    /** A new physical connection was opened; opening it took {@code connectNanos}. */
    default void onConnect(java.sql.Connection physical, long connectNanos) {
        onConnect(physical);
    }

    /**
     * A checkout failed because no connection could be opened; {@code failure} is the exception the checkout throws
     * (its message names the database, never a password). Fired once per failed checkout, whichever thread of the
     * backend tried to connect.
     */
    default void onConnectFailure(Throwable failure) {
    }

    /**
     * A checkout found all {@code poolSize + maxOverflow} connections in use and waited {@code waitedNanos} for one to
     * come back; fired when its turn came, before the checkout goes on.
     */
    default void onCheckoutWaited(long waitedNanos) {
    }

    /** A checkout waited {@code poolTimeout} ({@code waitedNanos}) without a connection coming back and failed. */
    default void onCheckoutTimeout(long waitedNanos) {
    }

    /** A connection was handed to a borrower. */
    default void onCheckout(java.sql.Connection pooled) {
    }

    /**
     * A connection was handed to a borrower; obtaining it took {@code waitNanos}: queueing, connecting, pre-ping and
     * replacing unfit connections included. It is 0 when a slot was free and an idle connection was handed out with
     * nothing to inspect (no pre-ping, recycle or pending invalidation): the engine reads no clock for a checkout that
     * waited for nothing, so a checkout costs one clock read and a return another.
     */
    default void onCheckout(java.sql.Connection pooled, long waitNanos) {
        onCheckout(pooled);
    }

    /** A borrower returned a connection (after reset on return). */
    default void onCheckin(java.sql.Connection pooled) {
    }

    /** A borrower returned a connection (after reset on return) that it held for {@code heldNanos}. */
    default void onCheckin(java.sql.Connection pooled, long heldNanos) {
        onCheckin(pooled);
    }

    /** A connection was discarded instead of returned: failed pre-ping, recycle, disconnect or explicit invalidate. */
    default void onInvalidate(java.sql.Connection pooled, Throwable cause) {
    }

    /** A connection was discarded instead of returned, for {@code reason}; {@code cause} is the error, if any. */
    default void onInvalidate(java.sql.Connection pooled, Throwable cause, InvalidationReason reason) {
        onInvalidate(pooled, cause);
    }

    /**
     * Every connection open now was marked stale (after a disconnect, a failed pre-ping, or {@link Engine#dispose()});
     * each is discarded when it is returned or replaced at its next checkout, whichever comes first, with an
     * {@code onInvalidate} for {@link InvalidationReason#STALE} (and no {@code onCheckin}).
     * {@code cause} is the error that prompted it, or null.
     */
    default void onInvalidateAll(Throwable cause) {
    }

    /** A physical connection was closed. */
    default void onClose(java.sql.Connection physical) {
    }
}
