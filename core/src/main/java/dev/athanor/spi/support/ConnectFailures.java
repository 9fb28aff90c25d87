package dev.athanor.spi.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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
 *
 * <p>A native pool that pauses longer after each failed connect (HikariCP's adder doubles its pause up to 5 s) should
 * be given a {@linkplain #ConnectFailures(Connect, BooleanSupplier) wanted test}: each instant failure would count as
 * a failed connect, and the first connect after the database came back could wait seconds. With one, a retry while a
 * failure waits is held back until the failure is taken, and then connects only if still wanted; a connect that is
 * no longer wanted, before it starts or once it has opened (its borrower was served by a returned connection), is
 * refused without being remembered as a failure, and what it opened is closed.
 */
public final class ConnectFailures {

    /** Opens one connection. */
    @FunctionalInterface
    public interface Connect {
        Connection open() throws SQLException;
    }

    /** How often a held-back retry looks again at whether it is still wanted. */
    private static final long RECHECK_MILLIS = 50;

    private final Connect connect;
    private final BooleanSupplier wanted;
    private final AtomicReference<Failure> pending = new AtomicReference<>();
    private final DataSource dataSource = new FailureAwareDataSource();

    /** @param connect how to open a connection; usually {@code source::connect}, perhaps followed by setup */
    public ConnectFailures(Connect connect) {
        this(connect, null);
    }

    /**
     * @param connect how to open a connection
     * @param wanted  whether a connect is still wanted, e.g. "more borrowers wait in the native pool than connections
     *                are idle"; asked before and after each connect, and while a retry is held back (see the class
     *                comment); null holds nothing back
     */
    public ConnectFailures(Connect connect, BooleanSupplier wanted) {
        if (connect == null) {
            throw new IllegalArgumentException("connect must not be null");
        }
        this.connect = connect;
        this.wanted = wanted;
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
        if (f != null && wanted != null) {
            synchronized (pending) {
                pending.notifyAll(); // a held-back retry may connect now
            }
        }
        if (f == null || f.startedNanos - sinceNanos < 0) {
            return null;
        }
        return f.error;
    }


    Connection open() throws SQLException {
        if (wanted != null) {
            holdBack();
        }
        Failure f = pending.get();
        if (f != null) {
            throw f.error; // a retry of the native pool's: the failure is not taken yet, so the database is not asked
        }
        long started = System.nanoTime();
        Connection opened;
        try {
            opened = connect.open();
        } catch (SQLException e) {
            pending.compareAndSet(null, new Failure(started, e));
            throw e;
        } catch (RuntimeException e) {
            SQLException wrapped = new SQLException("connect failed: " + e, "08001", e);
            pending.compareAndSet(null, new Failure(started, wrapped));
            throw wrapped;
        }
        if (wanted != null && !wanted.getAsBoolean()) {
            try {
                opened.close();
            } catch (SQLException | RuntimeException ignored) {
                // Not wanted: nothing more to do with it.
            }
            throw notWanted();
        }
        return opened;
    }

    /** Waits while a failure waits to be taken and the connect is wanted; refuses it when it is no longer wanted. */
    private void holdBack() throws SQLException {
        synchronized (pending) {
            while (pending.get() != null && wanted.getAsBoolean()) {
                try {
                    pending.wait(RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the native pool is shutting down
                    throw new SQLException("connect interrupted", "08001", e);
                }
            }
        }
        if (!wanted.getAsBoolean()) {
            throw notWanted();
        }
    }

    private static SQLException notWanted() {
        return new SQLException("connect refused: no borrower wants it any more (not a connect failure)", "08001");
    }

    private static final class Failure {
        final long startedNanos;
        final SQLException error;

        Failure(long startedNanos, SQLException error) {
            this.startedNanos = startedNanos;
            this.error = error;
        }
    }

    private final class FailureAwareDataSource extends SimpleDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return open();
        }
    }
}
