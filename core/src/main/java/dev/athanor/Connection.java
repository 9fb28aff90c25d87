package dev.athanor;

import dev.athanor.internal.Arguments;
import dev.athanor.internal.Errors;
import dev.athanor.internal.LeakGuard;
import dev.athanor.internal.jdbc.ConnectionHandle;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.internal.pool.ManagedPool;
import dev.athanor.internal.sql.NamedSql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A connection checked out of an {@link Engine}'s pool, in SQLAlchemy's commit-as-you-go style: the first statement
 * begins a transaction, {@link #commit()} or {@link #rollback()} ends it, and {@link #close()} returns the connection
 * to the pool, rolling back what was not committed. Not thread-safe: one thread at a time.
 *
 * <pre>{@code
 * try (Connection c = engine.connect()) {
 *     c.execute("INSERT INTO users(name) VALUES (:name)", Map.of("name", "ann"));
 *     Row row = c.execute("SELECT id, name FROM users WHERE name = ?", "ann").one();
 *     c.commit();
 * }
 * }</pre>
 */
public final class Connection implements AutoCloseable {
    private final Engine engine;
    private final ManagedPool pool;
    private final java.sql.Connection jdbc;
    private final StatementHooks hooks;
    /** A transaction may be open: something ran since the last commit or rollback. */
    private boolean inTransaction;
    private boolean closed;
    private boolean invalidated;
    private int fetchSize;
    /** Bumped on every commit and rollback: savepoints from an earlier transaction are then dead. */
    private int transactionGeneration;
    private int savepointCounter;
    /** The open cursor, if any (the usual case is one at a time); more, if several are open at once. */
    private Result openResult;
    private List<Result> moreOpenResults;
    /** Set when the engine watches for leaks: disarmed when this connection is closed or invalidated. */
    private LeakGuard leakGuard;
    /** What {@link #jdbc()} hands out, made at its first call; ended when this connection is closed. */
    private ConnectionHandle handle;

    Connection(Engine engine, java.sql.Connection jdbc) {
        this.engine = engine;
        this.pool = engine.pool();
        this.jdbc = jdbc;
        this.hooks = engine.statementHooks();
        this.fetchSize = engine.fetchSize();
    }

    /**
     * Runs a statement with {@code :name} binds. {@code ::} casts, quoted text, comments and dollar-quoted bodies
     * are left alone; a missing or extra parameter is a {@link StatementException} naming it.
     */
    public Result execute(String sql, Map<String, ?> params) {
        ensureOpen();
        NamedSql parsed = parse(sql);
        Object[] values = parsed.bind(params);
        return run(sql, parsed, parsed.parameterOrder(), values);
    }

    /** Runs a statement with positional {@code ?} binds (or none). */
    public Result execute(String sql, Object... params) {
        ensureOpen();
        NamedSql parsed = parse(sql);
        if (!parsed.parameterNames().isEmpty()) {
            throw new StatementException("[" + pool.name() + "] the statement uses named parameters "
                    + parsed.parameterNames() + "; pass them as a Map: " + sql, sql,
                    List.copyOf(parsed.parameterNames()), null);
        }
        Object[] values = params == null ? new Object[] {null} : params;
        return run(sql, parsed, PositionalNames.of(values.length), values);
    }

    /**
     * Runs one statement with {@code :name} binds once per parameter map, as a JDBC batch; returns the update count
     * of each.
     */
    public int[] executeMany(String sql, List<? extends Map<String, ?>> rows) {
        ensureOpen();
        Arguments.notNull(rows, "rows");
        NamedSql parsed = parse(sql);
        StatementEvent event = hooks.start(sql, parsed.parameterOrder(), null, rows.size());
        PreparedStatement ps = null;
        Object[] values = null;
        // Every row's values: a batch failure may quote any of them, and hidden ones must be hidden all.
        List<Object> bound = engine.hideParameters() ? new ArrayList<>() : null;
        try {
            ps = jdbc.prepareStatement(parsed.jdbcSql());
            inTransaction = true;
            for (Map<String, ?> row : rows) {
                values = parsed.bind(row);
                if (bound != null) {
                    bound.addAll(Arrays.asList(values));
                }
                Binder.bind(ps, values);
                ps.addBatch();
            }
            int[] counts = rows.isEmpty() ? new int[0] : ps.executeBatch();
            ps.close();
            hooks.finish(event, changed(counts), null);
            return counts;
        } catch (SQLException e) {
            closeQuietly(ps);
            StatementException failure = failure(sql, parsed.parameterOrder(), values == null ? new Object[0] : values,
                    bound == null ? List.of() : bound, e);
            hooks.finish(event, -1, failure);
            throw failure;
        } catch (RuntimeException e) {
            // A row that does not bind (a missing or unknown parameter): nothing ran; close the statement.
            closeQuietly(ps);
            hooks.finish(event, -1, e);
            throw e;
        }
    }

    private NamedSql parse(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("[" + pool.name() + "] sql must not be null");
        }
        return NamedSql.parse(sql);
    }

    /** Rows a batch changed: the sum of its known counts. */
    private static long changed(int[] counts) {
        long sum = 0;
        for (int n : counts) {
            sum += Math.max(n, 0);
        }
        return sum;
    }

    private Result run(String sql, NamedSql parsed, List<String> names, Object[] values) {
        StatementEvent event = hooks.start(sql, names, values, 0);
        PreparedStatement ps = null;
        try {
            ps = wantsKeys(parsed)
                    ? jdbc.prepareStatement(parsed.jdbcSql(), Statement.RETURN_GENERATED_KEYS)
                    : jdbc.prepareStatement(parsed.jdbcSql());
            Binder.bind(ps, values);
            if (fetchSize > 0) {
                ps.setFetchSize(fetchSize);
            }
            inTransaction = true;
            Result result;
            long count = -1;
            if (ps.execute()) {
                result = Result.cursor(this, ps, ps.getResultSet());
                track(result);
            } else {
                count = ps.getUpdateCount();
                List<Row> keys = wantsKeys(parsed) ? readAll(ps.getGeneratedKeys()) : List.of();
                ps.close();
                result = Result.update(this, (int) count, keys);
            }
            hooks.finish(event, count, null);
            return result;
        } catch (SQLException e) {
            closeQuietly(ps);
            StatementException failure = failure(sql, names, values, e);
            hooks.finish(event, -1, failure);
            throw failure;
        } catch (RuntimeException e) {
            // A value the binder refused: close the statement, and end the event the listeners saw begin.
            closeQuietly(ps);
            hooks.finish(event, -1, e);
            throw e;
        }
    }

    /** An INSERT without its own RETURNING clause asks the driver for the generated keys. */
    private static boolean wantsKeys(NamedSql parsed) {
        return parsed.isInsert() && !parsed.hasReturning();
    }

    private static List<Row> readAll(ResultSet rs) throws SQLException {
        if (rs == null) {
            return List.of();
        }
        try (rs) {
            Columns columns = Columns.of(rs.getMetaData());
            List<Row> rows = new ArrayList<>(1);
            while (rs.next()) {
                rows.add(columns.read(rs));
            }
            return rows;
        }
    }

    /** Translates a driver failure; a lost connection is invalidated along with every connection older than it. */
    StatementException failure(String sql, List<String> names, Object[] values, SQLException e) {
        return failure(sql, names, values, values == null ? List.of() : Arrays.asList(values), e);
    }

    /** As above; {@code bound} is every value the statement bound (all rows of a batch), hidden when so asked. */
    private StatementException failure(String sql, List<String> names, Object[] values, Iterable<?> bound,
            SQLException e) {
        boolean hide = engine.hideParameters();
        StatementException ex = Errors.statement(pool.name(), sql, names, hide ? null : values, hide ? bound : null,
                e, engine.secrets(), physicalConnection().readOnlyRequested());
        if (ex instanceof DisconnectionException && !closed) {
            invalidate(e, ex instanceof ReadOnlyServerException ? InvalidationReason.READ_ONLY_SERVER
                    : InvalidationReason.DISCONNECT);
        }
        return ex;
    }

    /**
     * Commits the transaction the first statement began. A no-op when nothing ran, and under
     * {@link IsolationLevel#AUTOCOMMIT} (every statement committed as it ran).
     *
     * @throws CommitInDoubtException when the connection was lost during the COMMIT: it may or may not have committed
     */
    public void commit() {
        ensureOpen();
        closeOpenResults();
        if (!inTransaction) {
            return;
        }
        if (autocommit()) {
            endTransaction(); // every statement committed as it ran: nothing to send
            return;
        }
        try {
            jdbc.commit();
        } catch (SQLException e) {
            StatementException failure = failure("COMMIT", List.of(), new Object[0], e);
            // The COMMIT may have reached the server and committed before the connection died: say so, or a retry
            // would apply the work twice.
            if (failure instanceof DisconnectionException lost) {
                throw Errors.commitInDoubt(pool.name(), lost);
            }
            // Refused with the connection alive (a deferred constraint, a serialization failure, a protocol error
            // behind a pooler): whatever the server kept of the transaction is rolled back before anything else
            // runs on the connection, so it never goes back to the pool inside an open or aborted transaction.
            try {
                jdbc.rollback();
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
                invalidate(rollbackFailure, InvalidationReason.RESET_FAILED);
            }
            throw failure;
        } finally {
            endTransaction();
        }
    }

    /**
     * Rolls back the whole transaction, savepoints included. A no-op when nothing ran, and under
     * {@link IsolationLevel#AUTOCOMMIT}: what ran is committed already.
     */
    public void rollback() {
        ensureOpen();
        closeOpenResults();
        if (!inTransaction) {
            return;
        }
        if (autocommit()) {
            endTransaction(); // every statement committed as it ran: nothing can be rolled back
            return;
        }
        try {
            jdbc.rollback();
        } catch (SQLException e) {
            throw failure("ROLLBACK", List.of(), new Object[0], e);
        } finally {
            endTransaction();
        }
    }

    private void endTransaction() {
        inTransaction = false;
        transactionGeneration++;
    }

    /** Rolls back after {@code failure}; a rollback error is added to it as suppressed, never thrown. */
    void rollbackQuietly(Throwable failure) {
        if (closed) {
            return;
        }
        try {
            rollback();
        } catch (RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Begins a nested transaction: a SAVEPOINT inside the current transaction (beginning one if none is open).
     * Rolling the nested transaction back keeps the outer one.
     *
     * @throws IllegalStateException under {@link IsolationLevel#AUTOCOMMIT}: there is no transaction to nest in
     */
    public NestedTransaction beginNested() {
        ensureOpen();
        if (autocommit()) {
            throw new IllegalStateException("[" + pool.name() + "] cannot begin a nested transaction (SAVEPOINT)"
                    + " under AUTOCOMMIT: every statement commits as it runs, so there is no transaction to nest in;"
                    + " choose a transactional level first, e.g. isolationLevel(IsolationLevel.READ_COMMITTED)");
        }
        String name = "athanor_sp_" + (++savepointCounter);
        try {
            inTransaction = true;
            Savepoint sp = jdbc.setSavepoint(name);
            return new NestedTransaction(this, sp, name, transactionGeneration);
        } catch (SQLException e) {
            throw failure("SAVEPOINT " + name, List.of(), new Object[0], e);
        }
    }

    int transactionGeneration() {
        return transactionGeneration;
    }

    /**
     * Notes that a transaction began outside {@link #execute} (a session's {@code SET TRANSACTION} / {@code START
     * TRANSACTION}), so that commit, rollback and the return end it.
     */
    void transactionBegun() {
        inTransaction = true;
    }

    /**
     * True while a transaction may be open (a statement ran since the last commit or rollback); never under
     * {@link IsolationLevel#AUTOCOMMIT}.
     */
    public boolean inTransaction() {
        return inTransaction && !closed && !autocommit();
    }

    /**
     * The isolation level of this connection's transactions until it goes back to the pool, SQLAlchemy's
     * {@code connection.execution_options(isolation_level=...)}; {@code null}: the engine's again. With
     * {@link IsolationLevel#AUTOCOMMIT} every statement commits as it runs, {@link #commit()} and {@link #rollback()}
     * do nothing and a read costs one round trip (no BEGIN, no ROLLBACK on return). The pool gets the connection back
     * in the engine's mode: what this changed is put back at the return. Sends nothing when the connection is in that
     * mode already.
     *
     * <pre>{@code
     * try (Connection c = engine.connect().isolationLevel(IsolationLevel.AUTOCOMMIT)) {
     *     c.execute("VACUUM ANALYZE users");   // PostgreSQL refuses VACUUM inside a transaction
     * }
     * }</pre>
     *
     * @throws IllegalStateException in the middle of a transaction: commit or roll it back first; and for a level
     *         other than AUTOCOMMIT (or null) on an engine built with
     *         {@link EngineBuilder#transactionPooling(boolean) transactionPooling}, where it would be a session-level
     *         setting shared with other clients: use a session transaction's {@link Session#isolationLevel}
     */
    public Connection isolationLevel(IsolationLevel level) {
        ensureOpen();
        if (engine.transactionPooling() && level != null && !level.isAutocommit()) {
            throw new IllegalStateException("[" + pool.name() + "] cannot set isolation level " + level + " for a"
                    + " checkout under transactionPooling: it is a session-level setting, which the pooler would"
                    + " leave on a server connection other clients use; set it for one transaction with"
                    + " Session.isolationLevel (valid here: AUTOCOMMIT or null)");
        }
        if (inTransaction()) {
            throw new IllegalStateException("[" + pool.name() + "] cannot change the isolation level in the middle"
                    + " of a transaction: set it before the transaction's first statement, or after commit() /"
                    + " rollback()");
        }
        try {
            physicalConnection().isolationLevel(level);
        } catch (SQLException e) {
            throw failure(IsolationLevel.sql(level), List.of(), new Object[0], e);
        }
        inTransaction = false; // under AUTOCOMMIT, statements that ran left no transaction open
        return this;
    }

    /** Whether statements commit as they run ({@link IsolationLevel#AUTOCOMMIT}); tracked, no round trip. */
    private boolean autocommit() {
        return physicalConnection().autoCommit();
    }

    /** The engine's connection, with the settings it tracks: always what the pool checked out. */
    PhysicalConnection physicalConnection() {
        return (PhysicalConnection) jdbc;
    }

    /**
     * Discards the connection instead of returning it to the pool (for a connection in an unknown state). The
     * {@code Connection} is closed after this.
     */
    public void invalidate() {
        if (closed) {
            return;
        }
        invalidate(null, InvalidationReason.EXPLICIT);
    }

    private void invalidate(Throwable cause, InvalidationReason reason) {
        closeOpenResults();
        endHandle();
        closed = true;
        invalidated = true;
        releaseLeakGuard();
        pool.invalidate(jdbc, cause, reason,
                reason == InvalidationReason.DISCONNECT || reason == InvalidationReason.READ_ONLY_SERVER);
    }

    /** True once the connection was invalidated (explicitly or because it was lost). */
    public boolean isInvalidated() {
        return invalidated;
    }

    /**
     * The JDBC connection, for what Athanor does not wrap. Work done on it is part of this connection's transaction.
     * It lives as long as this {@code Connection}: once this one is closed or invalidated, every call on it fails
     * with SQLState {@code 08003} and the statements made through it are closed. Close this {@code Connection}, not
     * the JDBC one: closing the JDBC connection invalidates this one (the physical connection is discarded, never
     * pooled).
     */
    public java.sql.Connection jdbc() {
        ensureOpen();
        inTransaction = true;
        ConnectionHandle h = handle;
        if (h == null) {
            h = new ConnectionHandle(jdbc, pool.name(), this::invalidate);
            handle = h;
        }
        return h;
    }

    private void endHandle() {
        ConnectionHandle h = handle;
        if (h != null) {
            h.end();
        }
    }

    /** Rows fetched per round trip for later statements (0: the driver's default); see {@link Result#stream()}. */
    public Connection fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetchSize must be >= 0, was " + rows);
        }
        this.fetchSize = rows;
        return this;
    }

    public Engine engine() {
        return engine;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Returns the connection to the pool; uncommitted work is reset (rolled back by default). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closeOpenResults();
        endHandle();
        closed = true;
        releaseLeakGuard();
        pool.checkin(jdbc, inTransaction);
    }

    void leakGuard(LeakGuard guard) {
        this.leakGuard = guard;
    }

    private void releaseLeakGuard() {
        if (leakGuard != null) {
            leakGuard.release();
        }
    }

    /**
     * The JDBC connection without marking a transaction as begun, unlike {@link #jdbc()}: for sessions setting and
     * restoring per-transaction options between transactions.
     */
    java.sql.Connection physical() {
        return jdbc;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("[" + pool.name() + "] this connection is "
                    + (invalidated ? "invalidated" : "closed") + "; check out a new one with engine.connect()");
        }
    }

    private void track(Result r) {
        if (openResult == null) {
            openResult = r;
            return;
        }
        if (moreOpenResults == null) {
            moreOpenResults = new ArrayList<>(2);
        }
        moreOpenResults.add(r);
    }

    void untrack(Result r) {
        if (openResult == r) {
            openResult = null;
        } else if (moreOpenResults != null) {
            moreOpenResults.remove(r);
        }
    }

    private void closeOpenResults() {
        Result first = openResult;
        if (first != null) {
            openResult = null;
            first.close();
        }
        List<Result> more = moreOpenResults;
        if (more == null || more.isEmpty()) {
            return;
        }
        for (Result r : more.toArray(new Result[0])) {
            r.close();
        }
        more.clear();
    }

    String poolName() {
        return pool.name();
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // The statement already failed; that failure is the one reported.
        }
    }

    @Override
    public String toString() {
        return "Connection[" + pool.name() + (closed ? ", closed" : inTransaction ? ", in transaction" : "") + "]";
    }
}
