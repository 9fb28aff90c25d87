package dev.athanor.hibernate;

import dev.athanor.ConfigurationException;
import dev.athanor.Connection;
import dev.athanor.Session;
import dev.athanor.SessionSavepoint;
import dev.athanor.spi.ForwardingSession;

import java.util.Map;
import org.hibernate.FlushMode;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.Status;

/**
 * The {@link HibernateSession} a {@link HibernateSessionFactory} opens (or joins to a session): an Athanor session
 * plus, per bind, a Hibernate session opened on first use and closed with the Athanor session. Each Hibernate session
 * is given a {@link SessionConnection} (the Athanor session's current connection of its bind) and has an
 * {@link AthanorTransactions.Coordinator} as its transaction; {@link HibernateSync} drives them from the Athanor
 * transaction's events.
 */
final class DefaultHibernateSession extends ForwardingSession implements HibernateSession {
    private final HibernateSessionFactory factory;
    /** Joined to a session the factory did not open: its listener must be checked before first use. */
    private final boolean joined;
    private final org.hibernate.Session[] open;
    private final org.hibernate.Session[] guarded;
    private final AthanorTransactions.Coordinator[] coordinators;
    /** True while Hibernate itself asks for a connection: that is no reason to flush (it may be the flush). */
    private boolean hibernateUsing;

    DefaultHibernateSession(Session session, HibernateSessionFactory factory, boolean joined) {
        super(session);
        this.factory = factory;
        this.joined = joined;
        int binds = factory.bindNames().size();
        this.open = new org.hibernate.Session[binds];
        this.guarded = new org.hibernate.Session[binds];
        this.coordinators = new AthanorTransactions.Coordinator[binds];
    }

    @Override
    public org.hibernate.Session orm() {
        ensureOpen();
        return orm(factory.defaultBindIndex());
    }

    @Override
    public org.hibernate.Session orm(String bind) {
        ensureOpen();
        return orm(factory.bindIndex(bind));
    }

    @Override
    public org.hibernate.Session orm(Class<?> entityType) {
        ensureOpen();
        return orm(factory.bindIndex(factory.bindOf(entityType)));
    }

    private org.hibernate.Session orm(int bind) {
        checkNotRollbackOnly();
        org.hibernate.Session g = guarded[bind];
        if (g == null) {
            g = openOrm(bind);
        }
        return g;
    }

    private org.hibernate.Session openOrm(int bind) {
        String bindName = factory.bindNames().get(bind);
        org.hibernate.SessionFactory hibernate = factory.hibernate(bind); // refuses a bind without entities
        if (joined) {
            delegate().connection(bindName); // begins the transaction if needed, so that the listener has run
            if (delegate().attribute(HibernateSync.Enlisted.class).isEmpty()) {
                throw new ConfigurationException("[" + factory.name() + "] " + delegate() + " comes from a session"
                        + " factory without the Hibernate listener, so its commit would not flush Hibernate's"
                        + " changes; open it from HibernateSessionFactory.sessionFactory() or a factory built from"
                        + " it (MyBatisSessionFactory.builder(hibernate.sessionFactory()), for instance)");
            }
        }
        java.sql.Connection connection = SessionConnection.create(delegate(), this::hibernateConnection, bindName,
                factory.name(), factory.connectionCalls(), factory.echo(bind));
        org.hibernate.Session s = hibernate.withOptions().connection(connection).openSession();
        coordinators[bind] = (AthanorTransactions.Coordinator) s.unwrap(SessionImplementor.class)
                .getTransactionCoordinator();
        open[bind] = s;
        guarded[bind] = OrmGuard.create(s, coordinators[bind], factory, bindName);
        return guarded[bind];
    }

    @Override
    public void flush() {
        ensureOpen();
        flushAll("flush()");
    }

    /**
     * Flushes every open Hibernate session (those in {@code MANUAL} flush mode only when asked by {@link #flush()}); a
     * failure leaves the unit rollback-only.
     */
    private void flushAll(String when) {
        checkNotRollbackOnly();
        for (int i = 0; i < open.length; i++) {
            flushOne(i, when);
        }
    }

    private void flushOne(int bind, String when) {
        org.hibernate.Session s = open[bind];
        if (s == null || (s.getHibernateFlushMode() == FlushMode.MANUAL && !when.equals("flush()"))) {
            return; // MANUAL: the application flushes, Athanor never does
        }
        try {
            s.flush();
        } catch (RuntimeException e) {
            coordinators[bind].markRollbackOnly("the flush before " + when + " on bind '"
                    + factory.bindNames().get(bind) + "' failed: " + e);
            throw e;
        }
    }

    /**
     * The Athanor session is about to run a statement on its connection of {@code bind}, or hand it out, for someone
     * else than Hibernate ({@code execute(...)}, {@code executeMany(...)} or {@code connection(bind)} on this session,
     * the joined MyBatis session or the plain one; a MyBatis mapper statement): that bind's pending changes are flushed
     * first, so that the statement sees them, as Hibernate's auto-flush does before its own queries. Only that
     * bind: the others are other databases, which the statement cannot read. Hibernate's own JDBC calls (a flush among
     * them) come through {@link #hibernateConnection} and flush nothing, which is what keeps this from recursing.
     */
    void beforeConnectionUse(String bind) {
        if (hibernateUsing || isClosed()) {
            return;
        }
        checkNotRollbackOnly();
        flushOne(factory.bindIndex(bind), "a statement");
    }

    /** The connection of {@code bind} for a JDBC call of Hibernate's, see {@link SessionConnection}. */
    private Connection hibernateConnection(String bind) {
        boolean outer = !hibernateUsing;
        hibernateUsing = true;
        try {
            return delegate().connection(bind);
        } finally {
            if (outer) {
                hibernateUsing = false;
            }
        }
    }

    void checkNotRollbackOnly() {
        for (int i = 0; i < coordinators.length; i++) {
            if (coordinators[i] != null && coordinators[i].isRollbackOnly()) {
                throw pendingRollback(factory.name(), factory.bindNames().get(i), coordinators[i]);
            }
        }
    }

    static PendingRollbackException pendingRollback(String factoryName, String bind,
                                                    AthanorTransactions.Coordinator coordinator) {
        return new PendingRollbackException("[" + factoryName + "] this unit of work must be rolled back before the"
                + " session is used again: " + coordinator.rollbackOnlyReason() + " (bind '" + bind + "'). Call"
                + " rollback(), or roll back to a savepoint set before the failure");
    }

    // execute(...), executeMany(...) and connection(bind) flush through HibernateSync.beforeConnectionUse, fired by the
    // Athanor session itself, so that the same statements on a joined MyBatis session or the plain one flush too.

    /** What was persisted or changed before the savepoint is written before it, or rolling back to it loses it. */
    @Override
    public SessionSavepoint beginNested() {
        ensureOpen();
        flushAll("beginNested()");
        return super.beginNested();
    }

    // Transaction events, from HibernateSync.

    void beforeCommit() {
        flushAll("commit()");
        for (AthanorTransactions.Coordinator c : coordinators) {
            if (c != null) {
                c.beforeCompletion();
            }
        }
    }

    void afterCommit() {
        for (AthanorTransactions.Coordinator c : coordinators) {
            if (c != null) {
                c.afterCompletion(true);
            }
        }
    }

    /** Everything the Hibernate sessions hold describes rolled-back state: they are cleared. */
    void afterRollback() {
        for (int i = 0; i < open.length; i++) {
            if (open[i] != null) {
                try {
                    open[i].clear();
                } finally {
                    coordinators[i].afterCompletion(false);
                }
            }
        }
    }

    void afterRollbackToSavepoint() {
        for (int i = 0; i < open.length; i++) {
            org.hibernate.Session s = open[i];
            if (s == null) {
                continue;
            }
            if (factory.savepointPolicy() == SavepointPolicy.REFRESH && !coordinators[i].isRollbackOnly()) {
                refreshManaged(s);
            } else {
                s.clear();
            }
            coordinators[i].clearRollbackOnly();
        }
    }

    /** {@link SavepointPolicy#REFRESH}: unflushed work dropped, managed entities read again, vanished ones detached. */
    private static void refreshManaged(org.hibernate.Session s) {
        SessionImplementor si = s.unwrap(SessionImplementor.class);
        si.getActionQueue().clear();
        for (Map.Entry<Object, EntityEntry> e : si.getPersistenceContextInternal().reentrantSafeEntityEntries()) {
            Object entity = e.getKey();
            if (!s.contains(entity)) {
                continue; // detached by a cascade from an earlier entity
            }
            Status status = e.getValue().getStatus();
            if (status == Status.MANAGED || status == Status.READ_ONLY) {
                try {
                    s.refresh(entity);
                    continue;
                } catch (RuntimeException gone) {
                    // Its row was inserted after the savepoint (or never): nothing to refresh from.
                }
            }
            if (s.contains(entity)) {
                s.detach(entity);
            }
        }
    }

    /** The session is closing (a transaction still open is rolled back after this): the Hibernate sessions end. */
    void beforeClose() {
        RuntimeException failure = null;
        for (int i = 0; i < open.length; i++) {
            org.hibernate.Session s = open[i];
            if (s == null) {
                continue;
            }
            open[i] = null;
            guarded[i] = null;
            try {
                s.clear();
                coordinators[i].afterCompletion(false);
            } catch (RuntimeException e) {
                failure = add(failure, e);
            } finally {
                coordinators[i] = null;
                try {
                    s.close();
                } catch (RuntimeException e) {
                    failure = add(failure, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException add(RuntimeException failure, RuntimeException e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException("[" + factory.name() + "] this session is closed; open a new one with"
                    + " openSession() (a closed session cannot be reused)");
        }
    }

    @Override
    public String toString() {
        return "HibernateSession[" + factory.name() + (isClosed() ? ", closed" : isActive() ? ", in transaction" : "")
                + "]";
    }
}
