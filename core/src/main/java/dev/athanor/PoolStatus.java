package dev.athanor;

/**
 * A snapshot of a pool's counts, with SQLAlchemy's meaning: {@link #size()} is the configured {@code poolSize},
 * {@link #checkedIn()} the idle connections, {@link #checkedOut()} the borrowed ones and {@link #overflow()} the
 * connections open beyond {@code poolSize} (it starts at {@code -poolSize}; with {@code poolSize 0}, no limit, it is
 * always 0). {@link #waiting()} is the number of checkouts queued for a connection and {@link #max()} the most
 * connections open at once ({@code poolSize + maxOverflow}).
 *
 * <p>{@code toString()} is SQLAlchemy's {@code Pool.status()} text:
 * {@code Pool size: 5  Connections in pool: 1 Current Overflow: -4 Current Checked out connections: 0}; the core pools
 * that keep no queue report their kind instead ({@code NullPool}, {@code StaticPool}).
 */
public final class PoolStatus {
    private final int size;
    private final int checkedIn;
    private final int checkedOut;
    private final int overflow;
    private final int max;
    private final int waiting;
    private final String kind;

    private PoolStatus(int size, int max, int checkedIn, int checkedOut, int overflow, int waiting, String kind) {
        this.size = size;
        this.max = max;
        this.checkedIn = checkedIn;
        this.checkedOut = checkedOut;
        this.overflow = overflow;
        this.waiting = waiting;
        this.kind = kind;
    }

    /**
     * A queue pool's counts; overflow is derived as {@code checkedIn + checkedOut - size}, and is 0 for {@code size 0}
     * (no limit: nothing is ever beyond the pool size, as SQLAlchemy's {@code pool_size=0} reports).
     *
     * @param max     most connections open at once, {@code poolSize + maxOverflow}; -1 when unlimited
     * @param waiting checkouts queued for a connection now
     */
    public static PoolStatus queue(int size, int max, int checkedIn, int checkedOut, int waiting) {
        int overflow = size == 0 ? 0 : checkedIn + checkedOut - size;
        return new PoolStatus(size, max, checkedIn, checkedOut, overflow, waiting, null);
    }

    /** A pool that keeps no queue ({@code NullPool}, {@code StaticPool}): its status text is its kind. */
    public static PoolStatus of(String kind, int max, int checkedIn, int checkedOut) {
        return new PoolStatus(0, max, checkedIn, checkedOut, 0, 0, kind);
    }

    /** The configured pool size (most idle connections kept). */
    public int size() {
        return size;
    }

    /** Idle connections held by the pool. */
    public int checkedIn() {
        return checkedIn;
    }

    /** Connections borrowed and not yet returned. */
    public int checkedOut() {
        return checkedOut;
    }

    /** Open connections minus {@link #size()}; {@code -size} when none is open; always 0 when {@code size} is 0. */
    public int overflow() {
        return overflow;
    }

    /** Most connections open at once ({@code poolSize + maxOverflow}); -1 when there is no limit. */
    public int max() {
        return max;
    }

    /** Checkouts waiting for a connection now (all {@link #max()} are in use); 0 for pools that keep no queue. */
    public int waiting() {
        return waiting;
    }

    /** Open connections: idle plus borrowed. */
    public int open() {
        return checkedIn + checkedOut;
    }

    @Override
    public String toString() {
        if (kind != null) {
            return kind;
        }
        return "Pool size: " + size + "  Connections in pool: " + checkedIn + " Current Overflow: " + overflow
                + " Current Checked out connections: " + checkedOut;
    }
}
