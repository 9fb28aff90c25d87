package dev.athanor;

/** What a replica is to the router now: see {@link ReplicaStatus}. */
public enum ReplicaState {
    /** Read-only transactions may go to it. */
    UP,
    /** It could not be reached, or a connection to it was lost: skipped until its cool-down ends. */
    COOLING_DOWN,
    /** Its last measured lag was over the maximum (or could not be measured): skipped until it is measured again. */
    LAGGING
}
