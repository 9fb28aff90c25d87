package dev.athanor.spi.support;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that forwards every call to another one. Subclasses change {@link #close()}; everything else
 * is a plain, allocation-free forward so the wrapper costs nothing on the statement path.
 *
 * <p>A wrapper handed to a borrower can be {@linkplain #retire() retired} when the borrow ends: from then on every
 * call fails with SQLState {@code 08003} without reaching the delegate, {@link #isClosed()} is true and
 * {@link #isValid(int)} false, so a reference kept past the return can never act on the connection the next borrower
 * holds. The check is one volatile read per call.
 */
public abstract class DelegatingConnection implements Connection {
    protected final Connection delegate;
    /** Set once the borrow this wrapper stood for has ended; never cleared. */
    private volatile boolean retired;

    protected DelegatingConnection(Connection delegate) {
        this.delegate = delegate;
    }

    /** Ends this wrapper's life: every later call fails (see the class comment). Idempotent. */
    protected final void retire() {
        retired = true;
    }

    /** True once {@link #retire()} was called. */
    protected final boolean isRetired() {
        return retired;
    }

    /** The delegate, or the "connection is closed" failure once retired. */
    protected final Connection open() throws SQLException {
        if (retired) {
            throw retiredFailure();
        }
        return delegate;
    }

    /** Why a retired wrapper refuses a call; subclasses may name their pool. */
    protected SQLException retiredFailure() {
        return new SQLException("connection is closed: it was returned to the pool; check out a new one", "08003");
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        if (retired) {
            SQLException e = retiredFailure();
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
        }
        return delegate;
    }

    /** The wrapped connection. */
    public Connection delegate() {
        return delegate;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return open().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || open().isWrapperFor(iface);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return open().createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return open().prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return open().prepareCall(sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return open().nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        open().setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return open().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        open().commit();
    }

    @Override
    public void rollback() throws SQLException {
        open().rollback();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return retired || delegate.isClosed();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return open().getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        open().setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return open().isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        open().setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return open().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        open().setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return open().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return open().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        open().clearWarnings();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return open().createStatement(resultSetType, resultSetConcurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return open().prepareStatement(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return open().prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return open().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        open().setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        open().setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return open().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return open().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return open().setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        open().rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        open().releaseSavepoint(savepoint);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return open().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        return open().prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        return open().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return open().prepareStatement(sql, autoGeneratedKeys);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return open().prepareStatement(sql, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return open().prepareStatement(sql, columnNames);
    }

    @Override
    public Clob createClob() throws SQLException {
        return open().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return open().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return open().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return open().createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !retired && delegate.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return open().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return open().getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return open().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return open().createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        open().setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return open().getSchema();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (!retired) { // abort on a closed connection is a no-op (JDBC)
            delegate.abort(executor);
        }
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        open().setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return open().getNetworkTimeout();
    }
}
