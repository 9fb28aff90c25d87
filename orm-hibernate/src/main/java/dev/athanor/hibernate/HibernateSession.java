package dev.athanor.hibernate;

import dev.athanor.Session;

/**
 * An Athanor {@link Session} that also hosts Hibernate sessions, one per bind with entities, opened by a
 * {@link HibernateSessionFactory}. Each Hibernate session lives as long as this session and runs on this session's
 * connection of its bind, in this session's transaction: {@code persist}, {@code find} (the identity map), dirty
 * checking, JPQL and criteria queries, and {@link #execute} commit or roll back together. Not thread-safe: one thread
 * at a time.
 *
 * <pre>{@code
 * try (HibernateSession s = orm.openSession()) {
 *     User ann = new User("ann", "ann@example.com");
 *     s.orm().persist(ann);                                  // users database (the default bind)
 *     s.orm("blogs").persist(new Blog(ann.getId(), "Hello")); // blogs database
 *     s.commit();                                            // flushed, then committed: both, or neither
 *     ann.setEmail("ann@example.org");                       // still managed: found at the next commit
 *     s.commit();
 * }
 * }</pre>
 *
 * <h2>Transactions</h2>
 * Athanor owns the transaction. {@link #commit()} flushes every Hibernate session (unless its flush mode is
 * {@code MANUAL}) and then commits every bind; {@link #rollback()} rolls back and clears them (every entity becomes
 * detached). Across a commit the entities stay managed, as in JPA's extended persistence context: a change made after
 * a commit is written by the next one. Hibernate's own {@code beginTransaction()}, {@code getTransaction().commit()}
 * and {@code close()} are refused with a message saying so.
 *
 * <h2>Flushes</h2>
 * Pending changes are flushed before {@link #commit()}, before {@link #beginNested()} (so that rolling back to the
 * savepoint cannot lose work done before it) and before the session's own {@link #execute} and {@link #executeMany}.
 * Whenever the Athanor session hands out a bind's connection — {@link #connection}, or a MyBatis mapper statement in
 * a joined session (see {@link HibernateSessionFactory#join}) — that bind's pending changes are flushed first, so the
 * statement sees them. Hibernate flushes before its own queries. A Hibernate session in {@code MANUAL} flush mode is
 * flushed only by {@link #flush()}.
 *
 * <h2>Failures</h2>
 * When a flush or a Hibernate operation fails, the unit of work is rollback-only: until {@link #rollback()} (or a
 * rollback to a savepoint), commit, beginNested, the session's statements and the Hibernate sessions' operations
 * throw {@link PendingRollbackException}, naming the first failure.
 */
public interface HibernateSession extends Session {
    /**
     * The Hibernate session of the default bind.
     *
     * @throws dev.athanor.ConfigurationException when no entity is registered on the default bind
     * @throws PendingRollbackException           when the unit of work must be rolled back first
     */
    org.hibernate.Session orm();

    /**
     * The Hibernate session of the named bind: it knows that bind's entities only. Kept for the session's life; it
     * follows the session across commits and rollbacks.
     *
     * @throws IllegalArgumentException           when there is no such bind
     * @throws dev.athanor.ConfigurationException when no entity is registered on {@code bind}
     */
    org.hibernate.Session orm(String bind);

    /**
     * The Hibernate session of the bind {@code entityType} is registered on.
     *
     * @throws dev.athanor.ConfigurationException when {@code entityType} is registered on no bind (the message lists
     *                                            the registered entities and their binds)
     */
    org.hibernate.Session orm(Class<?> entityType);

    /** Flushes the pending changes of every Hibernate session this unit has used. */
    void flush();
}
