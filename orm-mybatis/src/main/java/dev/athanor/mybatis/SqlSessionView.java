package dev.athanor.mybatis;

import dev.athanor.AthanorException;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.ibatis.cursor.Cursor;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.apache.ibatis.session.SqlSession;

/**
 * The {@link SqlSession} that a session's mappers run on (mybatis-spring's {@code SqlSessionTemplate} idea): every call
 * goes to the MyBatis session of the Athanor session's current transaction on one bind, opened on demand. The
 * transaction is the Athanor session's, so {@code commit}, {@code rollback} and {@code close} are refused.
 *
 * <p>Failures that are Athanor's (a pool timeout while checking the connection out, a closed session) reach the caller
 * as themselves rather than wrapped in MyBatis's {@link PersistenceException}.
 *
 * <p>A plain class rather than a dynamic proxy: one is made per session and bind, and every statement goes through
 * it, so neither the proxy's creation nor a reflective call per statement is paid.
 */
final class SqlSessionView implements SqlSession {
    private final DefaultMyBatisSession session;
    private final int bind;
    private final String bindName;
    private final Configuration configuration;

    SqlSessionView(DefaultMyBatisSession session, int bind, String bindName, Configuration configuration) {
        this.session = session;
        this.bind = bind;
        this.bindName = bindName;
        this.configuration = configuration;
    }

    /** Runs {@code call} on the current transaction's MyBatis session, unwrapping Athanor's own failures. */
    private <T> T run(Function<SqlSession, T> call) {
        try {
            return call.apply(session.current(bind));
        } catch (PersistenceException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AthanorException || cause instanceof IllegalStateException) {
                throw (RuntimeException) cause;
            }
            throw e;
        }
    }

    private UnsupportedOperationException refused(String method) {
        return new UnsupportedOperationException("[" + bindName + "] " + method + "() is not allowed on a MyBatis"
                + " session inside an Athanor session: the Athanor session owns the transaction; call " + method
                + "() on the MyBatisSession");
    }

    @Override
    public <T> T selectOne(String statement) {
        return run(s -> s.selectOne(statement));
    }

    @Override
    public <T> T selectOne(String statement, Object parameter) {
        return run(s -> s.selectOne(statement, parameter));
    }

    @Override
    public <E> List<E> selectList(String statement) {
        return run(s -> s.selectList(statement));
    }

    @Override
    public <E> List<E> selectList(String statement, Object parameter) {
        return run(s -> s.selectList(statement, parameter));
    }

    @Override
    public <E> List<E> selectList(String statement, Object parameter, RowBounds rowBounds) {
        return run(s -> s.selectList(statement, parameter, rowBounds));
    }

    @Override
    public <K, V> Map<K, V> selectMap(String statement, String mapKey) {
        return run(s -> s.selectMap(statement, mapKey));
    }

    @Override
    public <K, V> Map<K, V> selectMap(String statement, Object parameter, String mapKey) {
        return run(s -> s.selectMap(statement, parameter, mapKey));
    }

    @Override
    public <K, V> Map<K, V> selectMap(String statement, Object parameter, String mapKey, RowBounds rowBounds) {
        return run(s -> s.selectMap(statement, parameter, mapKey, rowBounds));
    }

    @Override
    public <T> Cursor<T> selectCursor(String statement) {
        return run(s -> s.selectCursor(statement));
    }

    @Override
    public <T> Cursor<T> selectCursor(String statement, Object parameter) {
        return run(s -> s.selectCursor(statement, parameter));
    }

    @Override
    public <T> Cursor<T> selectCursor(String statement, Object parameter, RowBounds rowBounds) {
        return run(s -> s.selectCursor(statement, parameter, rowBounds));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void select(String statement, Object parameter, ResultHandler handler) {
        run(s -> {
            s.select(statement, parameter, handler);
            return null;
        });
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void select(String statement, ResultHandler handler) {
        run(s -> {
            s.select(statement, handler);
            return null;
        });
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void select(String statement, Object parameter, RowBounds rowBounds, ResultHandler handler) {
        run(s -> {
            s.select(statement, parameter, rowBounds, handler);
            return null;
        });
    }

    @Override
    public int insert(String statement) {
        return run(s -> s.insert(statement));
    }

    @Override
    public int insert(String statement, Object parameter) {
        return run(s -> s.insert(statement, parameter));
    }

    @Override
    public int update(String statement) {
        return run(s -> s.update(statement));
    }

    @Override
    public int update(String statement, Object parameter) {
        return run(s -> s.update(statement, parameter));
    }

    @Override
    public int delete(String statement) {
        return run(s -> s.delete(statement));
    }

    @Override
    public int delete(String statement, Object parameter) {
        return run(s -> s.delete(statement, parameter));
    }

    @Override
    public void commit() {
        throw refused("commit");
    }

    @Override
    public void commit(boolean force) {
        throw refused("commit");
    }

    @Override
    public void rollback() {
        throw refused("rollback");
    }

    @Override
    public void rollback(boolean force) {
        throw refused("rollback");
    }

    @Override
    public List<BatchResult> flushStatements() {
        return run(SqlSession::flushStatements);
    }

    @Override
    public void close() {
        throw refused("close");
    }

    @Override
    public void clearCache() {
        run(s -> {
            s.clearCache();
            return null;
        });
    }

    @Override
    public Configuration getConfiguration() {
        return configuration;
    }

    @Override
    public <T> T getMapper(Class<T> type) {
        return session.mapper(type, bindName);
    }

    @Override
    public Connection getConnection() {
        return run(SqlSession::getConnection);
    }

    @Override
    public String toString() {
        return "SqlSession[" + bindName + " of " + session + "]";
    }
}
