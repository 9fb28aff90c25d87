package dev.athanor.spi.support;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * For a native pool that opens connections on threads of its own (HikariCP's connection adder, c3p0's helper
 * threads) and retries a failed connect until its own timeout: the {@link DataSource} to give it, and the way for the
 * checkout that asked to get the failure ({@code semantics.md}: a failed connect reaches the checkout that asked,
 * once, with no retry behind its back).
 *
 * <p>A failed connect is remembered until a checkout {@linkplain #takeFailure(long) takes} it. Meanwhile the data
 * source fails again at once with the same error, without reaching the database, so the native pool's retries are
 * not connects. The backend's {@code take()} waits inside the native pool in short slices; when a slice ends without a
 * connection it asks {@link #takeFailure(long)} with the time the checkout began, and throws what it gets.
 *
 * <pre>{@code
 * ConnectFailures failures = new ConnectFailures(source::connect);
 * config.setDataSource(failures.dataSource());
 * ...
 * long start = System.nanoTime();
 * while (true) {
 *     try {
 *         return nativePool.getConnection();          // waits at most one slice
 *     } catch (SQLTimeoutException sliceEnded) {
 *         SQLException failed = failures.takeFailure(start);
 *         if (failed != null) {
 *             throw failed;                           // this checkout's connect failed
 *         }
 *     }
 * }
 * }</pre>
 */
public final class ConnectFailures {

    /** Opens one connection. */
    @FunctionalInterface
    public interface Connect {
        Connection open() throws SQLException;
    }

    private final Connect connect;
    private final AtomicReference<Failure> pending = new AtomicReference<>();
    private final DataSource dataSource = new FailureAwareDataSource();

    /** @param connect how to open a connection; usually {@code source::connect}, perhaps followed by setup */
    public ConnectFailures(Connect connect) {
        if (connect == null) {
            throw new IllegalArgumentException("connect must not be null");
        }
        this.connect = connect;
    }

    /** The data source to give the native pool. Its credentials come from the engine: the user/password form is refused. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The failure of a connect that began at or after {@code sinceNanos} ({@link System#nanoTime()}), which is then
     * forgotten; null when there is none. An older failure (it belongs to a checkout that has given up) is forgotten
     * too, and null returned: the caller borrows again, which makes the native pool connect anew.
     */
    public SQLException takeFailure(long sinceNanos) {
        Failure f = pending.getAndSet(null);
        if (f == null || f.startedNanos - sinceNanos < 0) {
            return null;
        }
        return f.error;
    }

    /** True while a failure waits to be taken (the data source then fails at once). */
    public boolean hasPendingFailure() {
        return pending.get() != null;
    }

    Connection open() throws SQLException {
        Failure f = pending.get();
        if (f != null) {
            throw f.error; // a retry of the native pool's: the failure is not taken yet, so the database is not asked
        }
        long started = System.nanoTime();
        try {
            return connect.open();
        } catch (SQLException e) {
            pending.compareAndSet(null, new Failure(started, e));
            throw e;
        } catch (RuntimeException e) {
            SQLException wrapped = new SQLException("connect failed: " + e, "08001", e);
            pending.compareAndSet(null, new Failure(started, wrapped));
            throw wrapped;
        }
    }

    private static final class Failure {
        final long startedNanos;
        final SQLException error;

        Failure(long startedNanos, SQLException error) {
            this.startedNanos = startedNanos;
            this.error = error;
        }
    }

    private final class FailureAwareDataSource implements DataSource {
        private PrintWriter logWriter;
        private int loginTimeout;

        @Override
        public Connection getConnection() throws SQLException {
            return open();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come from the engine URL; use getConnection()");
        }

        @Override
        public PrintWriter getLogWriter() {
            return logWriter;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            this.logWriter = out;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            this.loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException("no java.util.logging logger");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
