package dev.athanor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A unit of work over one or more databases (SQLAlchemy's {@code Session}), opened by a {@link SessionFactory}.
 * Not thread-safe: one thread at a time. It may be handed from one thread to another between calls, but a call made
 * while another thread is inside one (a statement, commit, rollback, close, savepoint) fails with an
 * {@link IllegalStateException} rather than lose a connection; a {@link Connection} taken from the session is not
 * watched this way.
 *
 * <pre>{@code
 * try (Session s = sessions.openSession()) {
 *     s.execute("INSERT INTO users(name) VALUES (:name)", Map.of("name", "ann"));   // default bind
 *     s.execute("blogs", "INSERT INTO posts(title) VALUES (:t)", Map.of("t", "hi")); // bind "blogs"
 *     s.commit();                                                                    // both, in bind order
 * }                                                                                  // close(): rolls back the rest
 * }</pre>
 *
 * <h2>Transactions</h2>
 * The session is lazy: it holds no connection until a statement needs one. The first statement on a bind checks a
 * {@link Connection} out of that bind's engine and begins a transaction there (autobegin); {@link #commit()} and
 * {@link #rollback()} end the transaction on every bind and give the connections back to their pools, and the next
 * statement begins a new one. {@link #close()} rolls back what is still open; a closed session cannot be used again.
 *
 * <h2>Several binds</h2>
 * {@link #commit()} commits the binds in the order they were bound on the factory. There is no distributed (XA)
 * transaction: when a commit fails after an earlier bind committed, the later binds are rolled back and a
 * {@link PartialCommitException} names which binds committed and which did not.
 *
 * <h2>Per-transaction options</h2>
 * {@link #isolationLevel(IsolationLevel)} and {@link #readOnly(boolean)} apply to the next transaction (on every bind
 * it engages) and must be set before its first statement; when the transaction ends they go back to the factory's
 * defaults. On PostgreSQL, MySQL and MariaDB they are statements of that transaction ({@code SET TRANSACTION
 * ISOLATION LEVEL ..., READ ONLY}, {@code START TRANSACTION READ ONLY}), never a session-level setting, so nothing is
 * put back and nothing reaches another client behind a transaction-mode pooler such as PgBouncer; elsewhere they go
 * through JDBC and each connection gets its original settings back before it returns to the pool. Under
 * {@link IsolationLevel#AUTOCOMMIT} (for the transaction, or a bind's whole engine) statements commit as they run:
 * {@link #commit()} and {@link #rollback()} have nothing to do on that bind, and {@link #beginNested()} is refused. A
 * session mixing AUTOCOMMIT binds with transactional ones is atomic on the transactional ones only.
 *
 * <h2>Extensions</h2>
 * {@link #attribute(Class, Supplier)} keeps per-session state for an extension (the MyBatis module keeps its
 * executor there), reachable later through {@link #attribute(Class)} or {@link #unwrap(Class)}; {@link SessionListener}
 * tells it about the session's transactions.
 */
public interface Session extends AutoCloseable {
    /** The name of the bind given by {@code bind(engine)} without a name. */
    String DEFAULT_BIND = "default";

    /** Runs a statement with {@code :name} binds on the default bind; see {@link Connection#execute(String, Map)}. */
    Result execute(String sql, Map<String, ?> params);

    /** Runs a statement with positional {@code ?} binds (or none) on the default bind. */
    Result execute(String sql, Object... params);

    /**
     * Runs a statement with {@code :name} binds on the named bind. For positional parameters on a named bind use
     * {@code connection(bind).execute(sql, args...)}.
     */
    Result execute(String bind, String sql, Map<String, ?> params);

    /** Runs one statement with {@code :name} binds once per map, as a JDBC batch, on the default bind. */
    int[] executeMany(String sql, List<? extends Map<String, ?>> rows);

    /** The default bind's connection in this transaction, checked out (and the transaction begun) if needed. */
    Connection connection();

    /**
     * The named bind's connection in this transaction, checked out (and the transaction begun) if needed. Use it for
     * statements, not to commit, roll back or close: the session does that.
     *
     * @throws IllegalArgumentException when no bind has this name
     */
    Connection connection(String bind);

    /**
     * Commits the transaction on every bind it engaged, in bind order, and returns the connections to their pools.
     * Open nested transactions are released into it. A no-op on the database when nothing ran (listeners are told).
     *
     * @throws CommitInDoubtException when the connection was lost during the COMMIT of the only bind in the
     *         transaction: it may or may not have committed
     * @throws PartialCommitException when a bind failed to commit after an earlier one committed, or its COMMIT was
     *         cut off and later binds were rolled back ({@link PartialCommitException#inDoubt()})
     */
    void commit();

    /** Rolls back the whole transaction on every bind, nested transactions included, and returns the connections. */
    void rollback();

    /**
     * Begins a nested transaction: a SAVEPOINT on every bind already in the transaction (on the default bind, or
     * the first bind when there is no default, if none is yet). A bind first used while the nested transaction is
     * open joins it: its SAVEPOINT is set when it engages. Rolling the nested transaction back keeps the outer one.
     *
     * <pre>{@code
     * try (SessionSavepoint sp = session.beginNested()) {
     *     session.execute("INSERT INTO audit(msg) VALUES (:m)", Map.of("m", "try"));
     *     sp.commit();            // or leave the block: rolled back to the savepoint
     * }
     * }</pre>
     */
    SessionSavepoint beginNested();

    /**
     * The isolation level of the next transaction on every bind it engages ({@code null}: the engine's). Reset to the
     * factory's default when that transaction ends. {@link IsolationLevel#AUTOCOMMIT}: its statements commit as they
     * run, and commit and rollback do nothing.
     *
     * @throws IllegalStateException in the middle of a transaction (after its first statement)
     */
    Session isolationLevel(IsolationLevel level);

    /**
     * Whether the next transaction is read-only on every bind it engages (databases that enforce it, such as
     * PostgreSQL and MariaDB, refuse writes; for H2 it is a hint). Reset to the factory's default when that
     * transaction ends. {@code false} asks for nothing (the server's default, read-write unless the server says
     * otherwise). A write the server refuses inside a read-only transaction is a plain {@link StatementException}
     * (the caller's mistake), never the {@link ReadOnlyServerException} of a demoted server.
     *
     * <p><b>Replicas.</b> On a bind with replicas ({@link SessionFactoryBuilder#replica(String, Engine)}) a read-only
     * transaction runs on a replica, every other transaction on the bind's engine (the primary). Each bind the
     * transaction touches is routed on its first statement. What is guaranteed:
     * <ul>
     * <li><b>Read-your-writes, per session object.</b> After this session commits a transaction that was not
     * read-only on a bind with replicas, its later read-only transactions on that bind run on a replica only once
     * that replica has replayed the commit, otherwise on the next replica or the primary. PostgreSQL: the WAL
     * position after the commit ({@code pg_current_wal_lsn()}, read on the same connection right after it) against
     * the replica's {@code pg_last_wal_replay_lsn()}; MariaDB: the session's {@code @@last_gtid} against
     * {@code MASTER_GTID_WAIT(gtid, 0)}. Each costs one round trip: the position after every such commit, and the
     * check at the start of a read-only transaction, only until that replica has been seen to replay it. Both run
     * outside the transactions, so the reads that follow see the write. Under AUTOCOMMIT the position is read when
     * the transaction ends, committed or not. A write whose position is unknown (a database other than PostgreSQL
     * and MariaDB, a connection lost during the transaction, a failed position query) sends this session's
     * read-only transactions on that bind to the primary for the rest of the session, until a later write's
     * position is known.</li>
     * <li>The guarantee belongs to the session object: a {@link ScopedSession} keeps it for its scope (one
     * session), but {@code sessions.inTransaction(...)} opens a new session each call, and so does each attempt of
     * a {@link RetryPolicy}. Nothing is guaranteed about other sessions' writes, other clients' writes, or
     * monotonic reads across replicas (two read-only transactions may run on replicas at different points).</li>
     * <li>A replica that cannot be reached, or on which a connection is lost, is skipped for the cool-down; the
     * transaction goes to the next replica, then the primary ({@link SessionFactoryBuilder#replicaFallback}). A
     * connection lost in the middle of a read-only transaction surfaces as {@link DisconnectionException} (nothing
     * is rerun behind the caller's back): a {@link RetryPolicy} that retries disconnects reruns the unit, which
     * then goes to another replica. With {@code poolPrePing} on the replica engines a dead pooled connection is
     * found at checkout, before the transaction, and the transaction goes elsewhere at once.</li>
     * </ul>
     *
     * @throws IllegalStateException in the middle of a transaction (after its first statement)
     */
    Session readOnly(boolean readOnly);

    /** True while a transaction is open: a statement ran (or a nested transaction began) since the last end. */
    boolean isActive();

    /** True once {@link #close()} was called. */
    boolean isClosed();

    /** The bind names of this session's factory, in commit order. */
    List<String> bindNames();

    /**
     * The per-session object kept under {@code key}, made by {@code ifAbsent} on first use. For extensions that keep
     * state per session; the object lives as long as the session.
     */
    <T> T attribute(Class<T> key, Supplier<? extends T> ifAbsent);

    /** The per-session object kept under {@code key}, if one was made. */
    <T> Optional<T> attribute(Class<T> key);

    /**
     * This session as {@code type}, or the per-session object an extension attached that is a {@code type}
     * (for example {@code session.unwrap(MyBatisSession.class)}).
     *
     * @throws IllegalArgumentException when it is neither
     */
    <T> T unwrap(Class<T> type);

    /**
     * Rolls back what is open, returns every connection and closes the session; idempotent. Never throws for a
     * failed rollback: the connection is then reset or discarded by its pool, and the failure is logged at WARN.
     */
    @Override
    void close();
}
