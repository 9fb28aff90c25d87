package dev.athanor;

/**
 * Where a read-only transaction goes when none of its bind's replicas can take it (every one cooling down after a
 * failure, or further behind than the maximum lag): see {@link SessionFactoryBuilder#replicaFallback}.
 */
public enum ReplicaFallback {
    /** To the bind's primary engine (the default): reads keep working while the replicas are away. */
    PRIMARY,
    /**
     * Nowhere: the transaction's first statement fails with {@link ReplicaUnavailableException}, so that reads never
     * add load to the primary. A read that a replica cannot serve only because it has not replayed this session's
     * own last write still goes to the primary (read-your-writes comes first).
     */
    FAIL
}
