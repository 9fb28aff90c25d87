package dev.athanor.hibernate;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.hibernate.Transaction;

/**
 * The Hibernate session handed to the application, in front of the real one: it refuses {@code close()} and
 * Hibernate's transaction API (Athanor owns both), refuses work while the unit is rollback-only, and turns Hibernate's
 * "unknown entity" errors for an entity of another bind into an error naming the binds. Everything else goes through
 * unchanged; {@code unwrap(SessionImplementor.class)} reaches the real session.
 */
final class OrmGuard implements InvocationHandler {
    /** Allowed while the unit is rollback-only: they read state or end it. */
    private static final Set<String> ALWAYS = Set.of("isOpen", "clear", "isDirty", "contains", "detach", "evict",
            "getTransaction", "getHibernateFlushMode", "getFlushMode", "setHibernateFlushMode", "setFlushMode",
            "unwrap", "getSessionFactory", "getFactory", "isJoinedToTransaction");
    private static final Set<String> TRANSACTION_REFUSED = Set.of("begin", "commit", "rollback");

    private final org.hibernate.Session target;
    private final AthanorTransactions.Coordinator coordinator;
    private final HibernateSessionFactory factory;
    private final String bind;

    private OrmGuard(org.hibernate.Session target, AthanorTransactions.Coordinator coordinator,
                     HibernateSessionFactory factory, String bind) {
        this.target = target;
        this.coordinator = coordinator;
        this.factory = factory;
        this.bind = bind;
    }

    static org.hibernate.Session create(org.hibernate.Session target, AthanorTransactions.Coordinator coordinator,
                                        HibernateSessionFactory factory, String bind) {
        return (org.hibernate.Session) Proxy.newProxyInstance(OrmGuard.class.getClassLoader(),
                new Class<?>[] {org.hibernate.Session.class}, new OrmGuard(target, coordinator, factory, bind));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "HibernateSession.orm(\"" + bind + "\")[" + target + "]";
            case "close":
                throw new IllegalStateException("[" + factory.name() + "] the Hibernate session of bind '" + bind
                        + "' lives as long as its Athanor session: close the Athanor session instead");
            case "beginTransaction":
                throw AthanorTransactions.ownedByAthanor(factory.name(), "Session.beginTransaction()");
            case "getTransaction":
                return transaction(target.getTransaction());
            default:
                break;
        }
        if (coordinator.isRollbackOnly() && !ALWAYS.contains(name)) {
            throw DefaultHibernateSession.pendingRollback(factory.name(), bind, coordinator);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                RuntimeException wrongBind = factory.wrongBind((RuntimeException) cause, args, bind);
                if (wrongBind != null) {
                    // A mistake caught before any SQL ran: nothing in the unit of work needs rolling back.
                    coordinator.clearRollbackOnly();
                    throw wrongBind;
                }
            }
            if (coordinator.isRollbackOnly()) {
                coordinator.markRollbackOnly("Hibernate's " + name + "(...) on bind '" + bind + "' failed: " + cause);
            }
            throw cause;
        }
    }

    private Transaction transaction(Transaction real) {
        return (Transaction) Proxy.newProxyInstance(OrmGuard.class.getClassLoader(), new Class<?>[] {Transaction.class},
                (proxy, method, args) -> {
                    if (TRANSACTION_REFUSED.contains(method.getName())) {
                        throw AthanorTransactions.ownedByAthanor(factory.name(), "Transaction." + method.getName()
                                + "()");
                    }
                    if (method.getName().equals("toString")) {
                        return "Athanor-owned transaction of bind '" + bind + "'";
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
