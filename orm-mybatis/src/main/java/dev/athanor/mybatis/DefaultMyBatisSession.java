package dev.athanor.mybatis;

import dev.athanor.Connection;
import dev.athanor.Result;
import dev.athanor.Session;
import dev.athanor.SessionSavepoint;
import dev.athanor.spi.ForwardingSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ibatis.cache.Cache;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.defaults.DefaultSqlSession;

/**
 * The {@link MyBatisSession} a {@link MyBatisSessionFactory} opens: an Athanor session plus, per bind, the MyBatis
 * {@link SqlSession} of the current transaction. That SqlSession is opened by the first mapper call of a transaction
 * and ended by the transaction's end (see {@link TransactionSync}), like mybatis-spring's one SqlSession per Spring
 * transaction; mappers and {@link #sqlSession(String) views} route each call to it, so they stay usable across
 * transactions.
 *
 * <p>The SqlSessions are made with {@code autoCommit = true}. MyBatis then never asks its transaction to commit or roll
 * back (Athanor owns the transaction anyway), and {@code rollback(false)} only empties the local cache and discards
 * queued batch statements, leaving the second-level cache's pending entries alone: what a rollback to a savepoint
 * needs. {@code rollback(true)} and {@code commit()} also settle those pending entries.
 */
final class DefaultMyBatisSession extends ForwardingSession implements MyBatisSession {
    private final MyBatisSessionFactory factory;
    private final ExecutorType executorType;
    /** Per bind: this transaction's MyBatis session, or null until a mapper call needs one. */
    private final SqlSession[] open;
    /** Per bind: the open SqlSession lived through a rollback to a savepoint. */
    private final boolean[] rolledBackToSavepoint;
    private int openCount;
    /** Mappers and views handed out, per bind; they outlive transactions. Mappers: made at the first mapper call. */
    private List<Map<Class<?>, Object>> mappers;
    private final SqlSession[] views;

    DefaultMyBatisSession(Session session, MyBatisSessionFactory factory, ExecutorType executorType) {
        super(session);
        this.factory = factory;
        this.executorType = executorType;
        int binds = factory.bindNames().size();
        this.open = new SqlSession[binds];
        this.rolledBackToSavepoint = new boolean[binds];
        this.views = new SqlSession[binds];
    }

    @Override
    public <M> M mapper(Class<M> type) {
        ensureOpen();
        return mapper(type, factory.bindOf(type));
    }

    @Override
    public <M> M mapper(Class<M> type, String bind) {
        ensureOpen();
        int i = factory.bindIndex(bind);
        factory.checkRegistered(type, i);
        if (mappers == null) {
            mappers = new ArrayList<>(Collections.nCopies(open.length, null));
        }
        Map<Class<?>, Object> onBind = mappers.get(i);
        if (onBind == null) {
            onBind = new HashMap<>(8);
            mappers.set(i, onBind);
        }
        Object mapper = onBind.get(type);
        if (mapper == null) {
            // MyBatis's own mapper proxy, over a SqlSession that routes to the current transaction's.
            mapper = factory.configuration(i).getMapper(type, view(i));
            onBind.put(type, mapper);
        }
        return type.cast(mapper);
    }

    @Override
    public SqlSession sqlSession() {
        ensureOpen();
        return view(factory.defaultBindIndex());
    }

    @Override
    public SqlSession sqlSession(String bind) {
        ensureOpen();
        return view(factory.bindIndex(bind));
    }

    private SqlSession view(int bind) {
        SqlSession view = views[bind];
        if (view == null) {
            view = views[bind] = new SqlSessionView(this, bind, factory.bindNames().get(bind),
                    factory.configuration(bind));
        }
        return view;
    }

    /** The current transaction's MyBatis session of {@code bind}, opened if needed. */
    SqlSession current(int bind) {
        ensureOpen();
        SqlSession s = open[bind];
        if (s == null) {
            Configuration configuration = factory.configuration(bind);
            var transaction = factory.transactions().newTransaction(delegate(), factory.bindNames().get(bind));
            s = new DefaultSqlSession(configuration, configuration.newExecutor(transaction, executorType), true);
            open[bind] = s;
            openCount++;
        }
        return s;
    }

    @Override
    public List<BatchResult> flushStatements() {
        ensureOpen();
        if (openCount == 0) {
            return List.of();
        }
        List<BatchResult> results = new ArrayList<>();
        for (SqlSession s : open) {
            if (s != null) {
                results.addAll(s.flushStatements());
            }
        }
        return results;
    }

    @Override
    public void clearCache() {
        ensureOpen();
        for (SqlSession s : open) {
            if (s != null) {
                s.clearCache();
            }
        }
    }

    @Override
    public ExecutorType executorType() {
        return executorType;
    }

    // Statements that bypass MyBatis: queued batch statements go first, and MyBatis must not answer later queries
    // from a cache that predates them (MyBatis itself empties it before each of its own updates).

    private void beforeOwnStatement() {
        if (openCount == 0) {
            return;
        }
        if (executorType == ExecutorType.BATCH) {
            flushStatements();
        }
        clearCache();
    }

    @Override
    public Result execute(String sql, Map<String, ?> params) {
        beforeOwnStatement();
        return super.execute(sql, params);
    }

    @Override
    public Result execute(String sql, Object... params) {
        beforeOwnStatement();
        return super.execute(sql, params);
    }

    @Override
    public Result execute(String bind, String sql, Map<String, ?> params) {
        beforeOwnStatement();
        return super.execute(bind, sql, params);
    }

    @Override
    public int[] executeMany(String sql, List<? extends Map<String, ?>> rows) {
        beforeOwnStatement();
        return super.executeMany(sql, rows);
    }

    @Override
    public Connection connection() {
        beforeOwnStatement();
        return super.connection();
    }

    @Override
    public Connection connection(String bind) {
        beforeOwnStatement();
        return super.connection(bind);
    }

    /** Queued batch statements belong before the SAVEPOINT; see {@link #afterRollbackToSavepoint()}. */
    @Override
    public SessionSavepoint beginNested() {
        if (executorType == ExecutorType.BATCH && openCount > 0) {
            flushStatements();
        }
        return super.beginNested();
    }

    /** Ends the MyBatis sessions first, while their statements' connections are still checked out. */
    @Override
    public void rollback() {
        try {
            endTransaction(false);
        } finally {
            super.rollback();
        }
    }

    // Transaction events, from TransactionSync.

    /** Before the commit: queued batch statements run (a failure stops the commit), cached statements close. */
    void beforeCommit() {
        for (SqlSession s : open) {
            if (s != null) {
                s.flushStatements();
            }
        }
    }

    /**
     * A rollback to a savepoint: empties the local cache and discards queued batch statements. Those were all queued
     * after the savepoint, since {@link #beginNested()} sends what was queued before it.
     */
    void afterRollbackToSavepoint() {
        for (int i = 0; i < open.length; i++) {
            if (open[i] != null) {
                open[i].rollback(false);
                rolledBackToSavepoint[i] = true;
            }
        }
    }

    /**
     * Ends every MyBatis session of the transaction. On commit the second-level caches take the transaction's query
     * results, unless a savepoint was rolled back: some of those results may hold rows that are gone, so the bind's
     * second-level caches are emptied instead.
     */
    void endTransaction(boolean committed) {
        if (openCount == 0) {
            return;
        }
        RuntimeException failure = null;
        for (int i = 0; i < open.length; i++) {
            SqlSession s = open[i];
            if (s == null) {
                continue;
            }
            boolean tainted = rolledBackToSavepoint[i];
            open[i] = null;
            rolledBackToSavepoint[i] = false;
            openCount--;
            try {
                if (committed && !tainted) {
                    s.commit();
                } else {
                    s.rollback(true);
                    if (committed) {
                        clearSecondLevelCaches(factory.configuration(i));
                    }
                }
            } catch (RuntimeException e) {
                failure = add(failure, e);
            } finally {
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

    private static void clearSecondLevelCaches(Configuration configuration) {
        // Iterated as Object: MyBatis's cache map also holds placeholders for ambiguous short names.
        for (Object cache : configuration.getCaches()) {
            if (cache instanceof Cache) {
                ((Cache) cache).clear();
            }
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
        return "MyBatisSession[" + factory.name() + ", " + executorType
                + (isClosed() ? ", closed" : isActive() ? ", in transaction" : "") + "]";
    }
}
