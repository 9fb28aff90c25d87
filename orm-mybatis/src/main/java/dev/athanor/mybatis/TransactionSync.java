package dev.athanor.mybatis;

import dev.athanor.Session;
import dev.athanor.SessionListener;
import dev.athanor.SessionSavepoint;

/**
 * Keeps each session's MyBatis state in step with its Athanor transaction: queued batch statements run before the
 * commit, and the transaction's MyBatis sessions (their local caches, statements and cursors) end with the
 * transaction — after a commit, a rollback, or when the session closes; a rollback to a savepoint empties their local
 * caches. Stateless: one instance serves every session of a factory.
 */
final class TransactionSync implements SessionListener {
    @Override
    public void beforeCommit(Session session) {
        session.attribute(DefaultMyBatisSession.class).ifPresent(DefaultMyBatisSession::beforeCommit);
    }

    @Override
    public void afterCommit(Session session) {
        session.attribute(DefaultMyBatisSession.class).ifPresent(s -> s.endTransaction(true));
    }

    @Override
    public void afterRollback(Session session) {
        session.attribute(DefaultMyBatisSession.class).ifPresent(s -> s.endTransaction(false));
    }

    @Override
    public void afterRollbackToSavepoint(Session session, SessionSavepoint savepoint) {
        session.attribute(DefaultMyBatisSession.class).ifPresent(DefaultMyBatisSession::afterRollbackToSavepoint);
    }

    @Override
    public void beforeClose(Session session) {
        session.attribute(DefaultMyBatisSession.class).ifPresent(s -> s.endTransaction(false));
    }

    @Override
    public String toString() {
        return "MyBatis transaction sync";
    }
}
