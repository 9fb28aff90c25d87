package dev.athanor;

import dev.athanor.internal.Arguments;
import dev.athanor.internal.LeakGuard;
import dev.athanor.internal.Secrets;
import dev.athanor.internal.pool.EngineDataSource;
import dev.athanor.internal.pool.ManagedPool;
import dev.athanor.spi.PoolBackend;

import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * One database: its URL, its connection pool and its options. Thread-safe; make one per database at start-up and
 * share it. Building an engine opens nothing: the pool starts, and the first connection opens, on the first
 * {@link #connect()}.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://scott:tiger@localhost:5432/test")
 *         .poolSize(10).maxOverflow(5).poolPrePing(true)
 *         .build();
 * long n = engine.withConnection(c -> c.execute("SELECT count(*) FROM users").scalar(Long.class));
 * engine.useTransaction(c -> c.execute("INSERT INTO users(name) VALUES (:name)", Map.of("name", "ann")));
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private final Url url;
    private final ManagedPool pool;
    private final boolean echo;
    private final boolean hideParameters;
    private final int fetchSize;
    private final Secrets secrets;
    private final DataSource dataSource;
    private final LeakDetection leakDetection;
    private final SqlEcho sqlEcho;
    private final StatementHooks statementHooks;
    private final HealthCheck healthCheck;
    private final boolean transactionPooling;

    Engine(Url url, ManagedPool pool, boolean echo, boolean hideParameters, int fetchSize, Secrets secrets,
           LeakDetection leakDetection, Duration slowQueryThreshold, boolean transactionPooling) {
        this.url = url;
        this.transactionPooling = transactionPooling;
        this.pool = pool;
        this.echo = echo;
        this.hideParameters = hideParameters;
        this.fetchSize = fetchSize;
        this.secrets = secrets;
        this.dataSource = new EngineDataSource(pool, url.toString());
        this.leakDetection = leakDetection;
        this.statementHooks = new StatementHooks(pool.name(), echo, hideParameters, slowQueryThreshold, secrets);
        this.sqlEcho = new SqlEcho(pool.name(), echo, hideParameters, secrets, statementHooks);
        this.healthCheck = new HealthCheck(this);
    }

    /** An engine with every option at its default. */
    public static Engine create(String url) {
        return builder(url).build();
    }

    /** A builder for an engine on {@code url} (see {@link Url#parse(String)} for the forms accepted). */
    public static EngineBuilder builder(String url) {
        return new EngineBuilder(url);
    }

    /**
     * An engine from configuration, SQLAlchemy's {@code engine_from_config}: keys starting with {@code prefix}
     * ({@code athanor.url}, {@code athanor.poolSize} or {@code athanor.pool_size}, {@code athanor.connectArgs.ssl},
     * {@code athanor.backend.leakDetectionThreshold}, …); other keys are ignored. An unknown option after the prefix
     * is an error listing the known ones.
     */
    public static Engine fromConfig(Map<?, ?> config, String prefix) {
        return EngineConfig.builderFrom(config, prefix).build();
    }

    /** Checks a connection out of the pool. Close it to return it (uncommitted work is rolled back). */
    public Connection connect() {
        java.sql.Connection jdbc = pool.checkout();
        Connection c = new Connection(this, jdbc);
        if (leakDetection != LeakDetection.OFF) {
            // The reclaim action holds the pool and the JDBC connection, never c: c must stay collectable.
            ManagedPool p = pool;
            c.leakGuard(LeakGuard.watch(c, leakDetection, LoggerFactory.getLogger("dev.athanor.pool"), p.name(),
                    "connection", () -> p.checkin(jdbc, true)));
        }
        return c;
    }

    /** Runs {@code callback} with a connection and closes it after (what was not committed is rolled back). */
    public <T, X extends Exception> T withConnection(ConnectionCallback<T, X> callback) throws X {
        Arguments.notNull(callback, "callback");
        try (Connection c = connect()) {
            return callback.apply(c);
        }
    }

    /** {@link #withConnection} without a result. */
    public <X extends Exception> void useConnection(ConnectionConsumer<X> callback) throws X {
        Arguments.notNull(callback, "callback");
        try (Connection c = connect()) {
            callback.accept(c);
        }
    }

    /**
     * SQLAlchemy's {@code engine.begin()} block: runs {@code callback} in a transaction that commits when it returns
     * and rolls back when it throws (the original exception is rethrown; a rollback failure is added to it as
     * suppressed). When the connection is lost during the COMMIT the block throws a {@link CommitInDoubtException}:
     * the work may or may not have committed.
     */
    public <T, X extends Exception> T inTransaction(ConnectionCallback<T, X> callback) throws X {
        Arguments.notNull(callback, "callback");
        try (Connection c = connect()) {
            T result;
            try {
                result = callback.apply(c);
            } catch (Throwable t) {
                c.rollbackQuietly(t);
                throw t;
            }
            c.commit();
            return result;
        }
    }

    /** {@link #inTransaction} without a result. */
    public <X extends Exception> void useTransaction(ConnectionConsumer<X> callback) throws X {
        Arguments.notNull(callback, "callback");
        inTransaction(c -> {
            callback.accept(c);
            return null;
        });
    }

    /** The pool's counts now; SQLAlchemy's status text from {@code toString()}. */
    public PoolStatus status() {
        return pool.status();
    }

    /** Adds a pool listener; events fire the same way whatever the backend. */
    public void addListener(PoolListener listener) {
        pool.listeners().add(Arguments.notNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addListener}; returns whether it was there. */
    public boolean removeListener(PoolListener listener) {
        return pool.listeners().remove(listener);
    }

    /**
     * Adds a statement listener: told before and after every statement run on this engine's connections, sessions
     * and MyBatis / Hibernate sessions (see {@link StatementListener}).
     */
    public void addStatementListener(StatementListener listener) {
        statementHooks.add(Arguments.notNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addStatementListener}; returns whether it was there. */
    public boolean removeStatementListener(StatementListener listener) {
        return statementHooks.remove(listener);
    }

    /**
     * Checks that the database answers, for a readiness or health endpoint: a checkout and a validity check
     * ({@code Connection.isValid}, one round trip), bounded by {@code timeout}. Never throws and never waits longer
     * than {@code timeout}: a database that does not answer in time (or a pool with every connection in use for that
     * long) is {@link Health.Status#DOWN}. At most one check runs per engine at a time; a call made while one is still
     * under way waits for that one's answer (so a hanging database never piles up threads).
     */
    public Health ping(Duration timeout) {
        Arguments.notNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return healthCheck.ping(timeout);
    }

    /** {@link #ping(Duration)} with a 5 second timeout. */
    public Health ping() {
        return ping(HealthCheck.DEFAULT_TIMEOUT);
    }

    /**
     * Closes every idle pooled connection and marks every open one stale, so borrowed connections are discarded when
     * they are returned (or replaced at their next checkout). The engine stays usable and refills lazily.
     */
    public void dispose() {
        pool.invalidateAll(null);
        pool.dispose();
    }

    /** Closes the pool for good; later use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return pool.isClosed();
    }

    /**
     * The engine as a {@link DataSource}, for libraries that take one (MyBatis, Flyway, …): each
     * {@code getConnection()} is a checkout, and closing the connection returns it with reset on return.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    public Url url() {
        return url;
    }

    /** Whether the engine was built for a transaction-mode pooler ({@link EngineBuilder#transactionPooling}). */
    public boolean transactionPooling() {
        return transactionPooling;
    }

    public Dialect dialect() {
        return url.dialect();
    }

    /** The pool backend's name ({@code hikari}, {@code dbcp}, {@code c3p0}, {@code null}, {@code static}). */
    public String backendName() {
        return pool.providerName();
    }

    /** The pool name that prefixes this engine's log lines and messages. */
    public String name() {
        return pool.name();
    }

    /**
     * The backend's native pool ({@code HikariDataSource}, {@code BasicDataSource}, …) for what Athanor does not
     * wrap. Starts the pool if it has not started.
     */
    public <T> T unwrap(Class<T> type) {
        Arguments.notNull(type, "type");
        PoolBackend backend = pool.backend();
        return backend.unwrap(type);
    }

    /**
     * Whether statements are logged with their timing at INFO on {@code dev.athanor.sql} ({@code echo(true)}); for
     * extensions that run SQL through their own layer (the MyBatis module) and log it the same way.
     */
    public boolean echo() {
        return echo;
    }

    /**
     * This engine's echo log, for extensions that run SQL through their own statements (the MyBatis and Hibernate
     * modules) and log it exactly as the engine does, passwords scrubbed and {@link #hideParameters()} honoured.
     * It logs nothing when the engine does not {@link #echo()}.
     */
    public SqlEcho sqlEcho() {
        return sqlEcho;
    }

    /** Whether bound values are kept out of logs and error messages ({@code hideParameters(true)}). */
    public boolean hideParameters() {
        return hideParameters;
    }

    int fetchSize() {
        return fetchSize;
    }

    Secrets secrets() {
        return secrets;
    }

    ManagedPool pool() {
        return pool;
    }

    StatementHooks statementHooks() {
        return statementHooks;
    }

    @Override
    public String toString() {
        return "Engine[" + pool.name() + ": " + url + ", pool=" + pool.providerName() + "]";
    }

    /** A callback given a connection, returning a result; may throw {@code X}. */
    @FunctionalInterface
    public interface ConnectionCallback<T, X extends Exception> {
        T apply(Connection connection) throws X;
    }

    /** A callback given a connection; may throw {@code X}. */
    @FunctionalInterface
    public interface ConnectionConsumer<X extends Exception> {
        void accept(Connection connection) throws X;
    }
}
