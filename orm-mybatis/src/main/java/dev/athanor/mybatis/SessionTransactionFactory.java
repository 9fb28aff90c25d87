package dev.athanor.mybatis;

import dev.athanor.Session;

import java.sql.Connection;
import javax.sql.DataSource;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.apache.ibatis.transaction.Transaction;
import org.apache.ibatis.transaction.TransactionFactory;
import org.apache.ibatis.transaction.jdbc.JdbcTransaction;

/**
 * The {@link TransactionFactory} of every bind's MyBatis environment. Inside an Athanor session MyBatis gets a
 * {@link SessionTransaction} ({@link #newTransaction(Session, String)}). The two MyBatis entry points serve what runs
 * outside any session — MyBatis's lazy loader after the session has closed, or a plain {@code SqlSessionFactory} built
 * over the bind's configuration: a JDBC transaction of its own on the bind's engine, as MyBatis would make it.
 */
final class SessionTransactionFactory implements TransactionFactory {
    /** A transaction inside {@code session}, on its connection of {@code bind}. */
    Transaction newTransaction(Session session, String bind) {
        return new SessionTransaction(session, bind);
    }

    @Override
    public Transaction newTransaction(Connection connection) {
        return new JdbcTransaction(connection);
    }

    @Override
    public Transaction newTransaction(DataSource dataSource, TransactionIsolationLevel level, boolean autoCommit) {
        // The engine's pool restores its own connection settings: MyBatis must not switch auto-commit back on.
        return new JdbcTransaction(dataSource, level, autoCommit, true);
    }
}
