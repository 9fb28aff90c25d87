package dev.athanor;

/** In which order a read-only transaction tries its bind's replicas: see {@link SessionFactoryBuilder#replicaSelection}. */
public enum ReplicaSelection {
    /**
     * Each transaction starts with the replica after the one the previous transaction started with (the default), so
     * reads spread evenly; the others follow in the order given when it cannot take the transaction.
     */
    ROUND_ROBIN,
    /** Always the first replica given that can take the transaction, then the next: for a preferred (nearby) one. */
    IN_ORDER
}
