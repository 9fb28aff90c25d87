package dev.athanor.mybatis;

import dev.athanor.Session;

import java.util.List;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;

/**
 * An Athanor {@link Session} that also runs MyBatis mappers, opened by a {@link MyBatisSessionFactory}. Mapper calls
 * run on the session's own connection of the mapper's bind, in the session's transaction: mapper calls and
 * {@link #execute} in one unit of work commit or roll back together. Not thread-safe: one thread at a time.
 *
 * <pre>{@code
 * try (MyBatisSession s = orm.openSession()) {
 *     User ann = new User("ann", "ann@example.com");
 *     s.mapper(UserMapper.class).insert(ann);                                  // users database
 *     s.mapper(BlogMapper.class).insert(new Blog(ann.getId(), "Hello"));       // blogs database
 *     s.execute("UPDATE users SET email = :e WHERE id = :id", Map.of("e", "a@example.com", "id", ann.getId()));
 *     s.commit();                                                              // all three, or none
 * }
 * }</pre>
 *
 * <h2>Transactions</h2>
 * Athanor owns the transaction: {@link #commit()}, {@link #rollback()} and {@link #beginNested()} are the session's,
 * and MyBatis's own commit and rollback do nothing to the database. Behind each bind a MyBatis {@link SqlSession}
 * lives for one transaction: it is opened by the first mapper call and ended when the transaction ends, so the
 * connection it uses is always the session's current one (Athanor returns connections to the pool at every commit
 * and rollback and checks a new one out for the next statement).
 *
 * <h2>MyBatis's local cache</h2>
 * MyBatis caches query results for the rest of a transaction. The cache is emptied on commit, on rollback, on
 * rollback to a savepoint (so a query after {@code beginNested().rollback()} never returns rolled-back rows) and
 * before every statement run through this session's {@code execute}, {@code executeMany} or {@code connection}.
 *
 * <h2>Batch mode</h2>
 * A session opened with {@link ExecutorType#BATCH} queues mapper inserts, updates and deletes (their return value is
 * meaningless) and sends them as JDBC batches: before a mapper query, before {@link #commit()} (a failure stops the
 * commit), before {@link #beginNested()}, before statements run through {@code execute} or {@code connection}, and
 * when {@link #flushStatements()} is called. A rollback (to a savepoint, too) discards what is still queued.
 */
public interface MyBatisSession extends Session {
    /**
     * A mapper running in this session, for the one bind {@code type} is registered on. The object may be kept for
     * the session's life: it follows the session across commits and rollbacks, and fails once the session is closed.
     *
     * @throws dev.athanor.ConfigurationException when {@code type} is not a registered mapper (the message lists
     *                                            the registered mappers and their binds)
     * @throws IllegalArgumentException           when {@code type} is registered on several binds: name one
     */
    <M> M mapper(Class<M> type);

    /**
     * The mapper {@code type} running in this session on the named bind.
     *
     * @throws dev.athanor.ConfigurationException when {@code type} is not registered on {@code bind}
     * @throws IllegalArgumentException           when the factory has no bind of that name
     */
    <M> M mapper(Class<M> type, String bind);

    /**
     * The default bind's MyBatis {@link SqlSession}, for statement ids without a mapper interface
     * ({@code selectList("blogs.recent")}). See {@link #sqlSession(String)}.
     */
    SqlSession sqlSession();

    /**
     * A view of the named bind's MyBatis {@link SqlSession} in this session's current transaction. Its
     * {@code commit}, {@code rollback} and {@code close} throw {@link UnsupportedOperationException}: use this
     * session's. Like {@link #mapper}, the view follows the session across transactions.
     */
    SqlSession sqlSession(String bind);

    /**
     * Sends the statements queued in batch mode on every bind now, and returns MyBatis's results (empty when none
     * were queued, and always in the other modes).
     */
    List<BatchResult> flushStatements();

    /** Empties MyBatis's local (first-level) cache on every bind. */
    void clearCache();

    /** How this session's mappers run: {@link ExecutorType#SIMPLE}, {@code REUSE} or {@code BATCH}. */
    ExecutorType executorType();
}
