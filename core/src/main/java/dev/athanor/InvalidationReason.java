package dev.athanor;

/**
 * Why a pooled connection was discarded instead of returned ({@link PoolListener#onInvalidate(java.sql.Connection,
 * Throwable, InvalidationReason)}); the same reasons on every backend. The metric {@code athanor.pool.invalidations}
 * is tagged with {@link #tag()}.
 */
public enum InvalidationReason {
    /** The borrower asked: {@link Connection#invalidate()}, or it closed the connection's {@code jdbc()} handle. */
    EXPLICIT("explicit"),
    /** A statement, commit or rollback lost the connection; every older connection is replaced as well. */
    DISCONNECT("disconnect"),
    /**
     * A statement was refused because the server accepts no writes now (PostgreSQL 25006, MariaDB/MySQL 1290 or 1792
     * outside a transaction Athanor made read-only): the primary was demoted or replaced, or this is a replica. Every
     * older connection is replaced as well, so the next checkout reaches whichever server is the primary now.
     */
    READ_ONLY_SERVER("read_only_server"),
    /** Reset on return (the rollback or commit at checkin, or putting session settings back) failed. */
    RESET_FAILED("reset_failed"),
    /** The borrower closed the physical connection itself (e.g. through {@code jdbc().unwrap(...)}). */
    CLOSED_BY_BORROWER("closed_by_borrower"),
    /** Pre-ping found it dead at checkout; every older connection is replaced as well. */
    PRE_PING("pre_ping"),
    /** It was older than {@code poolRecycle} at checkout. */
    RECYCLE("recycle"),
    /**
     * It was opened before a pool-wide invalidation (a disconnect, a read-only server, a failed pre-ping,
     * {@link Engine#dispose()}).
     */
    STALE("stale");

    private final String tag;

    InvalidationReason(String tag) {
        this.tag = tag;
    }

    /** The lower-case name used as a metric tag value ({@code pre_ping}). */
    public String tag() {
        return tag;
    }
}
