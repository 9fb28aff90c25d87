package dev.athanor.hibernate;

/**
 * What happens to the Hibernate sessions' managed entities when the Athanor session rolls back to a savepoint
 * ({@code beginNested()} then {@code rollback()} on it). The database forgets what was written after the savepoint;
 * entities loaded or changed since still hold that state, and a later flush would write it again or fail (an entity
 * whose row the rollback removed, a version the database no longer has).
 */
public enum SavepointPolicy {
    /**
     * The default: every Hibernate session of the unit is cleared, so every entity becomes detached (as after a full
     * rollback). Nothing stale can be written; entities are read again when next needed. Changes made before the
     * savepoint are safe: they were flushed when it was set.
     */
    CLEAR,
    /**
     * SQLAlchemy's expire, eagerly: changes not yet flushed are discarded, each managed entity is read again from the
     * database (its state as of the savepoint), and an entity whose row is gone (persisted after the savepoint) is
     * detached. Entities stay managed; this costs a query per entity.
     */
    REFRESH
}
