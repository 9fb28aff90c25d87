package dev.athanor.hibernate;

import dev.athanor.Connection;
import dev.athanor.Session;
import dev.athanor.SessionListener;
import dev.athanor.SessionSavepoint;

/**
 * Keeps each session's Hibernate sessions in step with its Athanor transaction: flushed before the commit (a failure
 * stops the commit and leaves the unit rollback-only) and before the session hands a connection out (to a MyBatis
 * mapper statement, say), told of the commit or rollback (a rollback clears them), and handled by the
 * {@link SavepointPolicy} after a rollback to a savepoint. Stateless: one instance serves every session of a factory.
 */
final class HibernateSync implements SessionListener {
    /** Marks a session whose factory has this listener, for {@link HibernateSessionFactory#join}. */
    static final class Enlisted {
        static final Enlisted INSTANCE = new Enlisted();
    }

    @Override
    public void afterBegin(Session session, String bind, Connection connection) {
        session.attribute(Enlisted.class, () -> Enlisted.INSTANCE);
    }

    /** A MyBatis mapper statement, say: Hibernate's pending changes of that bind are written first. */
    @Override
    public void beforeConnectionUse(Session session, String bind) {
        session.attribute(DefaultHibernateSession.class).ifPresent(h -> h.beforeConnectionUse(bind));
    }

    @Override
    public void beforeCommit(Session session) {
        session.attribute(DefaultHibernateSession.class).ifPresent(DefaultHibernateSession::beforeCommit);
    }

    @Override
    public void afterCommit(Session session) {
        session.attribute(DefaultHibernateSession.class).ifPresent(DefaultHibernateSession::afterCommit);
    }

    @Override
    public void afterRollback(Session session) {
        session.attribute(DefaultHibernateSession.class).ifPresent(DefaultHibernateSession::afterRollback);
    }

    @Override
    public void afterRollbackToSavepoint(Session session, SessionSavepoint savepoint) {
        session.attribute(DefaultHibernateSession.class)
                .ifPresent(DefaultHibernateSession::afterRollbackToSavepoint);
    }

    @Override
    public void beforeClose(Session session) {
        session.attribute(DefaultHibernateSession.class).ifPresent(DefaultHibernateSession::beforeClose);
    }

    @Override
    public String toString() {
        return "Hibernate transaction sync";
    }
}
