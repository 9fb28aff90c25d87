package dev.athanor.testing.stub;

import static dev.athanor.testing.stub.StubSupport.unsupported;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A physical connection to a {@link StubDatabase}. A test fixture, not shipped.
 *
 * <p>It keeps the state a real driver keeps (auto-commit on, {@code READ_COMMITTED}, read-write) and is as strict
 * as PostgreSQL where that catches bugs: {@code commit} and {@code rollback} while auto-commit is on throw SQLSTATE
 * 25P01, and changing isolation or read-only inside a transaction throws 25001. A transaction starts with the first
 * statement after {@code setAutoCommit(false)}. Use after {@code close} throws 08003; use after
 * {@link StubDatabase#killAll()} or {@link #kill()} throws 08006. Tests reach it through a pool's proxy with
 * {@code connection.unwrap(StubConnection.class)}.
 *
 * <p>Like a real connection it is meant for one thread at a time; only {@link #kill()}, {@link #close()},
 * {@link #isClosed()} and {@link #isValid(int)} are safe to call concurrently with its user.
 */
public final class StubConnection implements Connection {
    private static final int OPEN = 0;
    private static final int KILLED = 1;
    private static final int CLOSED = 2;

    private final StubDatabase database;
    private final int id;
    private final Map<String, String> properties;
    private final long createdAtNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(OPEN);

    private boolean autoCommit = true;
    private boolean inTransaction;
    private int transactionIsolation = TRANSACTION_READ_COMMITTED;
    private boolean readOnly;
    private String catalog;
    private String schema = "PUBLIC";
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private int networkTimeoutMillis;
    private Map<String, Class<?>> typeMap = new HashMap<>();
    private final Properties clientInfo = new Properties();
    private List<StubSavepoint> savepoints; // created on first use
    private int savepointIds;

    StubConnection(StubDatabase database, int id, Map<String, String> properties) {
        this.database = database;
        this.id = id;
        this.properties = Map.copyOf(properties);
        this.catalog = database.name();
    }

    // ---- for tests

    /** The database this connection belongs to. */
    public StubDatabase database() {
        return database;
    }

    /** Numbers the connections of a database 1, 2, 3... in the order they were opened. */
    public int id() {
        return id;
    }

    /** {@link System#nanoTime()} when the connection was opened. */
    public long createdAtNanos() {
        return createdAtNanos;
    }

    /** The connect properties, with the URL's {@code key=value} parameters winning over the driver properties. */
    public Map<String, String> properties() {
        return properties;
    }

    /** Whether a statement ran since the last commit or rollback while auto-commit was off. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /** Whether the connection was killed, by {@link #kill()} or {@link StubDatabase#killAll()}. */
    public boolean isKilled() {
        return state.get() == KILLED;
    }

    /** Breaks this one connection as {@link StubDatabase#killAll()} breaks them all; no effect once closed. */
    public void kill() {
        state.compareAndSet(OPEN, KILLED);
    }

    @Override
    public String toString() {
        return "StubConnection[" + database.name() + "#" + id + "]";
    }

    // ---- transactions

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkUsable();
        if (autoCommit && !this.autoCommit && inTransaction) {
            endTransaction();
            database.committed();
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkUsable();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkInTransactionMode("commit");
        // a failed commit ends the transaction as well, as in PostgreSQL
        endTransaction();
        database.beforeCommit();
        database.committed();
        database.afterCommit(this);
    }

    @Override
    public void rollback() throws SQLException {
        checkInTransactionMode("rollback");
        endTransaction();
        database.rolledBack();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return addSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null) {
            throw new SQLException("stub: savepoint name is null");
        }
        return addSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkInTransactionMode("rollback to a savepoint");
        int index = indexOf(savepoint);
        // the savepoint itself survives, as in SQL's ROLLBACK TO SAVEPOINT
        savepoints.subList(index + 1, savepoints.size()).clear();
        database.rolledBackToSavepoint();
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkInTransactionMode("release a savepoint");
        int index = indexOf(savepoint);
        savepoints.subList(index, savepoints.size()).clear();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkUsable();
        if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
                && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
            throw new SQLException("stub: expected a Connection.TRANSACTION_* isolation level, was " + level);
        }
        checkNoTransaction("change the isolation level");
        transactionIsolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkUsable();
        return transactionIsolation;
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkUsable();
        checkNoTransaction("change read-only");
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkUsable();
        return readOnly;
    }

    // ---- statements

    @Override
    public Statement createStatement() throws SQLException {
        checkUsable();
        return new StubPreparedStatement(this, null);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency);
        return createStatement();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkUsable();
        if (sql == null) {
            throw new SQLException("stub: sql is null");
        }
        return new StubPreparedStatement(this, sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency);
        return prepareStatement(sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkUsable();
        return sql;
    }

    // ---- lifecycle

    @Override
    public void close() {
        if (state.getAndSet(CLOSED) != CLOSED) {
            database.connectionClosed(this);
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("stub: abort needs an executor");
        }
        close();
    }

    @Override
    public boolean isClosed() {
        return state.get() == CLOSED;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("stub: isValid timeout must be >= 0, was " + timeout);
        }
        database.validated();
        return state.get() == OPEN;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkUsable();
        if (milliseconds < 0) {
            throw new SQLException("stub: network timeout must be >= 0, was " + milliseconds);
        }
        networkTimeoutMillis = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkUsable();
        return networkTimeoutMillis;
    }

    // ---- plain settings

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkUsable();
        this.catalog = catalog;
    }

    @Override
    public String getCatalog() throws SQLException {
        checkUsable();
        return catalog;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkUsable();
        this.schema = schema;
    }

    @Override
    public String getSchema() throws SQLException {
        checkUsable();
        return schema;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkUsable();
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLException("stub: expected a ResultSet holdability, was " + holdability);
        }
        this.holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkUsable();
        return holdability;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkUsable();
        return typeMap;
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkUsable();
        typeMap = map;
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        checkClientInfoUsable();
        if (value == null) {
            clientInfo.remove(name);
        } else {
            clientInfo.setProperty(name, value);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        checkClientInfoUsable();
        clientInfo.clear();
        clientInfo.putAll(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkUsable();
        return clientInfo.getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkUsable();
        Properties copy = new Properties();
        copy.putAll(clientInfo);
        return copy;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkUsable();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkUsable();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return StubSupport.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ---- called by statements

    /** Checks the connection can run a statement, then counts it, records it and fires any injected failure. */
    void beforeStatement(String sql) throws SQLException {
        checkUsable();
        if (!autoCommit) {
            inTransaction = true;
        }
        database.statementExecuted(sql);
    }

    /** Throws 08003 when closed and 08006 when killed. */
    void checkUsable() throws SQLException {
        int current = state.get();
        if (current != OPEN) {
            throw current == CLOSED ? StubSupport.connectionClosed() : StubSupport.connectionKilled();
        }
    }

    // ---- helpers

    private void checkInTransactionMode(String action) throws SQLException {
        checkUsable();
        if (autoCommit) {
            throw new SQLException("stub: cannot " + action + " when autoCommit is enabled",
                    StubSupport.NO_ACTIVE_TRANSACTION);
        }
    }

    private void checkNoTransaction(String action) throws SQLException {
        if (inTransaction) {
            throw new SQLException("stub: cannot " + action + " in the middle of a transaction",
                    StubSupport.ACTIVE_TRANSACTION);
        }
    }

    private void checkClientInfoUsable() throws SQLClientInfoException {
        try {
            checkUsable();
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
        }
    }

    private static void checkResultSetKind(int type, int concurrency) throws SQLException {
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw unsupported("a result set that is not forward-only and read-only");
        }
    }

    private Savepoint addSavepoint(String name) throws SQLException {
        checkInTransactionMode("set a savepoint");
        if (savepoints == null) {
            savepoints = new ArrayList<>();
        }
        StubSavepoint savepoint = new StubSavepoint(this, ++savepointIds, name);
        savepoints.add(savepoint);
        inTransaction = true;
        return savepoint;
    }

    private int indexOf(Savepoint savepoint) throws SQLException {
        int index = savepoints == null ? -1 : savepoints.indexOf(savepoint);
        if (index < 0) {
            throw new SQLException("stub: savepoint " + savepoint + " was not set in this transaction or is released",
                    "3B001");
        }
        return index;
    }

    private void endTransaction() {
        inTransaction = false;
        if (savepoints != null) {
            savepoints.clear();
        }
    }

    /** Identity-compared, so a savepoint from another connection or transaction is never found. */
    private static final class StubSavepoint implements Savepoint {
        private final StubConnection connection;
        private final int id;
        private final String name;

        StubSavepoint(StubConnection connection, int id, String name) {
            this.connection = connection;
            this.id = id;
            this.name = name;
        }

        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw new SQLException("stub: savepoint '" + name + "' is named; it has no id");
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw new SQLException("stub: savepoint " + id + " is unnamed; it has no name");
            }
            return name;
        }

        @Override
        public String toString() {
            return connection + (name == null ? " savepoint " + id : " savepoint '" + name + "'");
        }
    }

    // ---- unsupported

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw unsupported("prepareCall");
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        throw unsupported("prepareCall");
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw unsupported("prepareCall");
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        throw unsupported("getMetaData");
    }

    @Override
    public Clob createClob() throws SQLException {
        throw unsupported("createClob");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw unsupported("createBlob");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw unsupported("createNClob");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw unsupported("createSQLXML");
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        throw unsupported("createArrayOf");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw unsupported("createStruct");
    }
}
