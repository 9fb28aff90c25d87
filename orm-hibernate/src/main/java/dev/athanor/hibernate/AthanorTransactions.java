package dev.athanor.hibernate;

import dev.athanor.Engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hibernate.HibernateException;
import org.hibernate.jdbc.WorkExecutor;
import org.hibernate.jdbc.WorkExecutorVisitable;
import org.hibernate.jpa.spi.JpaCompliance;
import org.hibernate.resource.jdbc.spi.PhysicalConnectionHandlingMode;
import org.hibernate.resource.transaction.spi.IsolationDelegate;
import org.hibernate.resource.transaction.spi.SynchronizationRegistry;
import org.hibernate.resource.transaction.spi.TransactionCoordinator;
import org.hibernate.resource.transaction.spi.TransactionCoordinatorBuilder;
import org.hibernate.resource.transaction.spi.TransactionCoordinatorOwner;
import org.hibernate.resource.transaction.spi.TransactionObserver;
import org.hibernate.resource.transaction.spi.TransactionStatus;

/**
 * Hibernate's transaction SPI answered by the Athanor session: one {@link Coordinator} per Hibernate session reports
 * the Athanor transaction as active and joined (Athanor sessions are always in a transaction, begun by their first
 * statement), never touches the JDBC transaction, and refuses Hibernate's own {@code begin}, {@code commit} and
 * {@code rollback}. The Athanor session drives the completion callbacks ({@link Coordinator#beforeCompletion()},
 * {@link Coordinator#afterCompletion(boolean)}) from its {@link HibernateSync listener}.
 *
 * <p>Without it, Hibernate's JDBC transaction coordinator commits the connection itself: behind Athanor's back, where
 * a later Athanor rollback can no longer undo the work.
 */
final class AthanorTransactions implements TransactionCoordinatorBuilder {
    private static final long serialVersionUID = 1L;

    private final transient Engine engine;
    private final String factoryName;

    AthanorTransactions(Engine engine, String factoryName) {
        this.engine = engine;
        this.factoryName = factoryName;
    }

    @Override
    public TransactionCoordinator buildTransactionCoordinator(TransactionCoordinatorOwner owner, Options options) {
        return new Coordinator(this, owner);
    }

    @Override
    public boolean isJta() {
        return false;
    }

    @Override
    public PhysicalConnectionHandlingMode getDefaultConnectionHandlingMode() {
        // Sessions are always given their connection (the Athanor session's); this only names the usual mode.
        return PhysicalConnectionHandlingMode.DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION;
    }

    static UnsupportedOperationException ownedByAthanor(String factoryName, String what) {
        return new UnsupportedOperationException("[" + factoryName + "] Hibernate's " + what + " is not available:"
                + " Athanor owns the transaction. Use the Athanor session's commit(), rollback() and beginNested()"
                + " (HibernateSession.commit(), or SessionSource.inTransaction(...))");
    }

    /** The transaction of one Hibernate session: the Athanor session's. */
    static final class Coordinator implements TransactionCoordinator {
        private final AthanorTransactions builder;
        private final TransactionCoordinatorOwner owner;
        private final List<TransactionObserver> observers = new ArrayList<>(2);
        private final List<jakarta.transaction.Synchronization> synchronizations = new ArrayList<>(2);
        private final Driver driver = new Driver();
        private int timeout = -1;
        /** Set by Hibernate when a persistence operation failed (JPA's rule), and by failed flushes of ours. */
        private boolean rollbackOnly;
        private String rollbackOnlyReason;

        Coordinator(AthanorTransactions builder, TransactionCoordinatorOwner owner) {
            this.builder = builder;
            this.owner = owner;
        }

        @Override
        public TransactionCoordinatorBuilder getTransactionCoordinatorBuilder() {
            return builder;
        }

        @Override
        public TransactionDriver getTransactionDriverControl() {
            return driver;
        }

        @Override
        public SynchronizationRegistry getLocalSynchronizations() {
            return synchronizations::add;
        }

        @Override
        public JpaCompliance getJpaCompliance() {
            return owner.getJdbcSessionOwner().getJdbcSessionContext().getJpaCompliance();
        }

        @Override
        public void explicitJoin() {
        }

        @Override
        public boolean isJoined() {
            return true;
        }

        @Override
        public void pulse() {
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public IsolationDelegate createIsolationDelegate() {
            return new Isolated(builder.engine);
        }

        @Override
        public void addObserver(TransactionObserver observer) {
            observers.add(observer);
        }

        @Override
        public void removeObserver(TransactionObserver observer) {
            observers.remove(observer);
        }

        @Override
        public void setTimeOut(int seconds) {
            this.timeout = seconds;
        }

        @Override
        public int getTimeOut() {
            return timeout;
        }

        /** Marks the unit rollback-only; {@code reason} replaces Hibernate's generic one, never a specific one. */
        void markRollbackOnly(String reason) {
            if (!rollbackOnly || rollbackOnlyReason == null) {
                rollbackOnly = true;
                rollbackOnlyReason = reason;
            }
        }

        void clearRollbackOnly() {
            rollbackOnly = false;
            rollbackOnlyReason = null;
        }

        boolean isRollbackOnly() {
            return rollbackOnly;
        }

        String rollbackOnlyReason() {
            return rollbackOnlyReason == null ? "a Hibernate operation failed" : rollbackOnlyReason;
        }

        /** Before the Athanor commit, after the flush: Hibernate's before-completion work. */
        void beforeCompletion() {
            owner.beforeTransactionCompletion();
            for (TransactionObserver o : List.copyOf(observers)) {
                o.beforeCompletion();
            }
            for (jakarta.transaction.Synchronization s : List.copyOf(synchronizations)) {
                s.beforeCompletion();
            }
        }

        /** The Athanor transaction ended: committed, or rolled back. */
        void afterCompletion(boolean committed) {
            clearRollbackOnly();
            int status = committed ? jakarta.transaction.Status.STATUS_COMMITTED
                    : jakarta.transaction.Status.STATUS_ROLLEDBACK;
            List<jakarta.transaction.Synchronization> syncs = List.copyOf(synchronizations);
            synchronizations.clear();
            try {
                owner.afterTransactionCompletion(committed, false);
            } finally {
                for (TransactionObserver o : List.copyOf(observers)) {
                    o.afterCompletion(committed, false);
                }
                for (jakarta.transaction.Synchronization s : syncs) {
                    s.afterCompletion(status);
                }
            }
        }

        /** What {@code session.getTransaction()} drives: status only; begin, commit and rollback are Athanor's. */
        private final class Driver implements TransactionDriver {
            @Override
            public void begin() {
                throw ownedByAthanor(builder.factoryName, "Transaction.begin()");
            }

            @Override
            public void commit() {
                throw ownedByAthanor(builder.factoryName, "Transaction.commit()");
            }

            @Override
            public void rollback() {
                throw ownedByAthanor(builder.factoryName, "Transaction.rollback()");
            }

            @Override
            public TransactionStatus getStatus() {
                return rollbackOnly ? TransactionStatus.MARKED_ROLLBACK : TransactionStatus.ACTIVE;
            }

            @Override
            public void markRollbackOnly() {
                rollbackOnly = true; // the reason is given by whoever sees the exception: OrmGuard, or the flush
            }
        }
    }

    /**
     * Work Hibernate wants outside the current transaction (table-based id generators, for instance): on a connection
     * of its own from the engine, committed on success.
     */
    private static final class Isolated implements IsolationDelegate {
        private final Engine engine;

        Isolated(Engine engine) {
            this.engine = engine;
        }

        @Override
        public <T> T delegateWork(WorkExecutorVisitable<T> work, boolean transacted) throws HibernateException {
            return delegateCallable(() -> {
                try (Connection c = engine.dataSource().getConnection()) {
                    return inTransaction(c, transacted, () -> work.accept(new WorkExecutor<>(), c));
                }
            }, transacted);
        }

        @Override
        public <T> T delegateCallable(Callable<T> callable, boolean transacted) throws HibernateException {
            try {
                return callable.call();
            } catch (HibernateException e) {
                throw e;
            } catch (Exception e) {
                throw new HibernateException("isolated work failed on " + engine.name() + ": " + e.getMessage(), e);
            }
        }

        /** Commits unless the pool hands out connections in auto-commit mode, as the engine's connections are not. */
        private static <T> T inTransaction(Connection c, boolean transacted, Callable<T> work) throws Exception {
            boolean autoCommit = c.getAutoCommit();
            try {
                T result = work.call();
                if (!autoCommit) {
                    c.commit();
                }
                return result;
            } catch (Exception | Error e) {
                if (!autoCommit) {
                    try {
                        c.rollback();
                    } catch (SQLException r) {
                        e.addSuppressed(r);
                    }
                }
                throw e;
            }
        }
    }
}
