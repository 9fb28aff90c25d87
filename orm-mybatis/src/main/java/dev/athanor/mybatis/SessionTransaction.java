package dev.athanor.mybatis;

import dev.athanor.Session;

import java.sql.Connection;
import org.apache.ibatis.transaction.Transaction;

/**
 * A MyBatis {@link Transaction} inside an Athanor {@link Session}: the connection is the session's connection of one
 * bind, and commit, rollback and close do nothing, because the session owns the transaction (as mybatis-spring's
 * {@code SpringManagedTransaction} does under a Spring-managed transaction).
 *
 * <p>The connection is asked of the session for every statement rather than kept: the session returns its connections
 * to the pool when a transaction ends and checks out a new one (beginning the next transaction) for the next
 * statement, so a connection kept here could be one that another thread now uses. Asking is an array lookup.
 */
final class SessionTransaction implements Transaction {
    private final Session session;
    private final String bind;

    SessionTransaction(Session session, String bind) {
        this.session = session;
        this.bind = bind;
    }

    @Override
    public Connection getConnection() {
        return session.connection(bind).jdbc();
    }

    /** The session commits; see {@link MyBatisSession#commit()}. */
    @Override
    public void commit() {
    }

    /** The session rolls back; see {@link MyBatisSession#rollback()}. */
    @Override
    public void rollback() {
    }

    /** The session gives the connection back when its transaction ends. */
    @Override
    public void close() {
    }

    @Override
    public Integer getTimeout() {
        return null;
    }

    @Override
    public String toString() {
        return "SessionTransaction[" + bind + ", " + session + "]";
    }
}
