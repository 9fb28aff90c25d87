package dev.athanor;

/**
 * A snapshot of a pool's counts, with SQLAlchemy's meaning: {@link #size()} is the configured {@code poolSize},
 * {@link #checkedIn()} the idle connections, {@link #checkedOut()} the borrowed ones and {@link #overflow()} the
 * connections open beyond {@code poolSize} (it starts at {@code -poolSize}; with {@code poolSize 0}, no limit, it is
 * always 0).
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
    private final String kind;

    private PoolStatus(int size, int checkedIn, int checkedOut, int overflow, String kind) {
        this.size = size;
        this.checkedIn = checkedIn;
        this.checkedOut = checkedOut;
        this.overflow = overflow;
        this.kind = kind;
    }

    /**
     * A queue pool's counts; overflow is derived as {@code checkedIn + checkedOut - size}, and is 0 for {@code size 0}
     * (no limit: nothing is ever beyond the pool size, as SQLAlchemy's {@code pool_size=0} reports).
     */
    public static PoolStatus queue(int size, int checkedIn, int checkedOut) {
        int overflow = size == 0 ? 0 : checkedIn + checkedOut - size;
        return new PoolStatus(size, checkedIn, checkedOut, overflow, null);
    }

    /** A pool that keeps no queue ({@code NullPool}, {@code StaticPool}): its status text is its kind. */
    public static PoolStatus of(String kind, int checkedIn, int checkedOut) {
        return new PoolStatus(0, checkedIn, checkedOut, 0, kind);
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
