package dev.athanor;

import dev.athanor.internal.Secrets;
import dev.athanor.internal.Texts;
import dev.athanor.internal.pool.EngineConnectionSource;
import dev.athanor.internal.pool.Listeners;
import dev.athanor.internal.pool.ManagedPool;
import dev.athanor.internal.pool.PoolProviders;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Builds an {@link Engine}. Setters only record; {@link #build()} checks everything at once and reports every
 * problem in one {@link ConfigurationException} ("poolSize must be >= 0, was -3; maxOverflow must be >= -1, was
 * -5"). Defaults are SQLAlchemy's.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("mariadb://root@127.0.0.1:3306/test")
 *         .pool("dbcp").poolSize(10).maxOverflow(0).poolTimeout(Duration.ofMillis(500))
 *         .build();
 * }</pre>
 */
public final class EngineBuilder {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final String url;
    private String pool;
    private String poolName;
    private int poolSize = PoolSpec.DEFAULT_POOL_SIZE;
    private int maxOverflow = PoolSpec.DEFAULT_MAX_OVERFLOW;
    private Duration poolTimeout = PoolSpec.DEFAULT_POOL_TIMEOUT;
    private Duration poolRecycle;
    private boolean prePing;
    private ResetOnReturn resetOnReturn = ResetOnReturn.ROLLBACK;
    private boolean useLifo;
    private boolean echo;
    private boolean hideParameters;
    private Duration connectTimeout;
    private IsolationLevel isolationLevel;
    private boolean transactionPooling;
    private int fetchSize;
    private LeakDetection leakDetection = LeakDetection.OFF;
    private Duration leakThreshold;
    private Duration slowQueryThreshold;
    private UnaryOperator<java.sql.Connection> connectionWrapper = UnaryOperator.identity();
    private final Map<String, String> connectArgs = new LinkedHashMap<>();
    private final Map<String, String> backendProperties = new LinkedHashMap<>();
    private final EnumSet<Knob> explicit = EnumSet.noneOf(Knob.class);
    /** Problems found before build(), e.g. unparsable values from {@code fromConfig}; reported with the rest. */
    private final List<String> earlyProblems = new ArrayList<>();

    EngineBuilder(String url) {
        this.url = url;
    }

    /** The pool backend by name ({@code hikari}, {@code dbcp}, {@code c3p0}, {@code null}, {@code static}). */
    public EngineBuilder pool(String backendName) {
        this.pool = backendName;
        return this;
    }

    /** The name that prefixes log lines and messages; default {@code athanor-N}. */
    public EngineBuilder poolName(String poolName) {
        this.poolName = poolName;
        return this;
    }

    /** Most idle connections kept (SQLAlchemy {@code pool_size}); default 5; 0 means no limit at all. */
    public EngineBuilder poolSize(int poolSize) {
        this.poolSize = poolSize;
        explicit.add(Knob.POOL_SIZE);
        return this;
    }

    /** Connections allowed beyond {@code poolSize} ({@code max_overflow}); default 10; -1 means unlimited. */
    public EngineBuilder maxOverflow(int maxOverflow) {
        this.maxOverflow = maxOverflow;
        explicit.add(Knob.MAX_OVERFLOW);
        return this;
    }

    /** How long a checkout waits when the pool is at its limit ({@code pool_timeout}); default 30 s. */
    public EngineBuilder poolTimeout(Duration poolTimeout) {
        this.poolTimeout = poolTimeout;
        explicit.add(Knob.POOL_TIMEOUT);
        return this;
    }

    /** Connections older than this are replaced at checkout ({@code pool_recycle}); {@code null}: off (default). */
    public EngineBuilder poolRecycle(Duration poolRecycle) {
        this.poolRecycle = poolRecycle;
        explicit.add(Knob.POOL_RECYCLE);
        return this;
    }

    /** Test connections at checkout and replace dead ones ({@code pool_pre_ping}); default false. */
    public EngineBuilder poolPrePing(boolean prePing) {
        this.prePing = prePing;
        explicit.add(Knob.PRE_PING);
        return this;
    }

    /** What checkin does to an open transaction ({@code pool_reset_on_return}); default ROLLBACK. */
    public EngineBuilder resetOnReturn(ResetOnReturn resetOnReturn) {
        this.resetOnReturn = resetOnReturn;
        explicit.add(Knob.RESET_ON_RETURN);
        return this;
    }

    /** Reuse the most recently returned idle connection first ({@code pool_use_lifo}); default false (FIFO). */
    public EngineBuilder useLifo(boolean useLifo) {
        this.useLifo = useLifo;
        explicit.add(Knob.USE_LIFO);
        return this;
    }

    /** Log every statement and its duration at INFO on logger {@code dev.athanor.sql}. */
    public EngineBuilder echo(boolean echo) {
        this.echo = echo;
        return this;
    }

    /**
     * Never show bound values, in the echo log or in error messages. A driver message that quotes a bound value
     * ("duplicate key ... (email)=(...)") has it replaced by {@code ***}, in the message and in the driver exception
     * kept as its cause (then a copy of the nearest standard {@code java.sql} class; see
     * {@link dev.athanor.StatementException}). What a driver or a pool logs by itself before Athanor sees the
     * failure is out of reach: the MariaDB driver logs server errors at DEBUG ({@code org.mariadb.jdbc}), and c3p0
     * logs the driver's exception at DEBUG ({@code com.mchange.v2.c3p0.impl.NewPooledConnection},
     * {@code com.mchange.v2.sql.SqlUtils}); keep those loggers at INFO where bound values are secret.
     */
    public EngineBuilder hideParameters(boolean hideParameters) {
        this.hideParameters = hideParameters;
        return this;
    }

    /** A JDBC driver property ({@code connect_args}); overrides the URL's query parameter of the same name. */
    public EngineBuilder connectArg(String key, String value) {
        if (key == null || key.isBlank() || Texts.hasControl(key)) {
            earlyProblems.add("connectArg key must not be empty or hold control characters, was " + shown(key));
        } else if (value == null) {
            earlyProblems.add("connectArg '" + Texts.quoted(key) + "' must have a value, was null");
        } else {
            connectArgs.put(key, value);
        }
        return this;
    }

    /** How long opening a connection may take, passed to the driver in its own unit. */
    public EngineBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /**
     * Isolation level of every connection; {@code null}: the database's default. {@link IsolationLevel#AUTOCOMMIT}:
     * no transactions, every statement commits as it runs, set once per connection (returns reset nothing).
     */
    public EngineBuilder isolationLevel(IsolationLevel isolationLevel) {
        this.isolationLevel = isolationLevel;
        return this;
    }

    /**
     * The engine connects through a transaction-mode pooler (PgBouncer {@code pool_mode = transaction}), which gives
     * each transaction whichever server connection is free; default false. PostgreSQL only. It sets pgjdbc's
     * {@code prepareThreshold=0} unless the URL or a connect arg sets it (server-side prepared statements do not
     * survive the pooler's switching), and refuses what would be a session-level setting shared with other clients:
     * an engine {@link #isolationLevel} other than AUTOCOMMIT, the startup parameters {@code options} and
     * {@code currentSchema} (at {@code build()}), and {@link Connection#isolationLevel} other than AUTOCOMMIT (when
     * called). A session transaction's isolation level and read-only flag are statements of that transaction on
     * PostgreSQL, so they never leak. {@code fromConfig} key: {@code transaction_pooling}.
     *
     * <pre>{@code
     * Engine engine = Engine.builder("postgresql://app@pgbouncer:6432/app").transactionPooling(true).build();
     * }</pre>
     */
    public EngineBuilder transactionPooling(boolean transactionPooling) {
        this.transactionPooling = transactionPooling;
        return this;
    }

    /** Rows fetched per round trip by {@link Result#stream()}; 0 (default): the driver's default. */
    public EngineBuilder fetchSize(int fetchSize) {
        this.fetchSize = fetchSize;
        return this;
    }

    /**
     * Whether a connection from {@link Engine#connect()} that is garbage-collected without being closed is reported
     * (and rolled back and returned); default {@link LeakDetection#OFF}. Sessions have their own setting.
     */
    public EngineBuilder leakDetection(LeakDetection leakDetection) {
        this.leakDetection = leakDetection;
        return this;
    }

    /**
     * Report connections held too long: a connection (a session's too) checked out for longer than this is logged
     * once at WARN on {@code dev.athanor.pool} with the engine name and the stack of its checkout, and once at INFO
     * when it finally comes back. The same on every backend (instead of HikariCP's {@code leakDetectionThreshold} or
     * DBCP's abandoned-connection logging); {@code null} (default): off, and nothing is captured at checkout. When on,
     * each checkout captures its stack (a few microseconds).
     */
    public EngineBuilder leakThreshold(Duration leakThreshold) {
        this.leakThreshold = leakThreshold;
        return this;
    }

    /**
     * Log statements that take at least this long at WARN on {@code dev.athanor.sql}, with their duration and bound
     * values (hidden with {@link #hideParameters}); {@code null} (default): off.
     */
    public EngineBuilder slowQueryThreshold(Duration slowQueryThreshold) {
        this.slowQueryThreshold = slowQueryThreshold;
        return this;
    }

    /**
     * Wraps each JDBC connection the engine opens, right after the driver returned it and the engine turned
     * auto-commit off and set the isolation level; default: none. Everything the engine, its sessions and the
     * libraries on them do with the connection goes through the wrapper, so it must forward what it does not change
     * and close the driver's connection when it is closed; when it throws, the connection is closed and the checkout
     * fails with its exception. For JDBC-level instrumentation and for test support: {@code athanor-junit5} turns
     * commits into savepoint releases this way, to roll every test back.
     */
    public EngineBuilder connectionWrapper(UnaryOperator<java.sql.Connection> connectionWrapper) {
        if (connectionWrapper == null) {
            earlyProblems.add("connectionWrapper must not be null (UnaryOperator.identity() for none)");
        } else {
            this.connectionWrapper = connectionWrapper;
        }
        return this;
    }

    /** A native setting of the backend pool (e.g. HikariCP's {@code leakDetectionThreshold}); checked at build. */
    public EngineBuilder backendProperty(String key, String value) {
        if (key == null || key.isBlank() || Texts.hasControl(key)) {
            earlyProblems.add("backendProperty key must not be empty or hold control characters, was " + shown(key));
        } else if (value == null) {
            earlyProblems.add("backendProperty '" + Texts.quoted(key) + "' must have a value, was null");
        } else {
            backendProperties.put(key, value);
        }
        return this;
    }

    /** {@code 'value'} escaped and shortened for a message, or {@code null}. */
    static String shown(String value) {
        return value == null ? "null" : "'" + Texts.quoted(value) + "'";
    }

    void problem(String problem) {
        earlyProblems.add(problem);
    }

    /**
     * Validates every option and makes the engine. Opens no connection.
     *
     * @throws ConfigurationException listing every problem found
     */
    public Engine build() {
        List<String> problems = new ArrayList<>(earlyProblems);
        Url parsed = null;
        try {
            parsed = Url.parse(url);
        } catch (ConfigurationException e) {
            problems.add(e.getMessage());
        }
        checkRanges(problems);
        PoolProvider provider = resolveProvider(problems);
        String name = poolName != null ? poolName : "athanor-" + POOL_NUMBER.incrementAndGet();
        PoolSpec spec = null;
        if (problems.isEmpty()) {
            spec = spec(name);
            checkCapabilities(provider, spec, problems);
            problems.addAll(provider.validate(spec));
        }
        Driver driver = parsed == null ? null : findDriver(parsed, problems);
        Properties props = null;
        if (parsed != null) {
            props = parsed.driverProperties();
            props.putAll(connectArgs);
            if (transactionPooling) {
                TransactionPooling.check(parsed.dialect(), isolationLevel, props, problems);
                TransactionPooling.apply(props);
            }
        }
        if (!problems.isEmpty()) {
            String target = UrlCodec.quoted(parsed != null ? parsed.toString() : Url.mask(url));
            throw new ConfigurationException("Invalid engine configuration for " + target + ": ", problems);
        }
        if (connectTimeout != null) {
            parsed.dialect().applyConnectTimeout(props, connectTimeout);
        }
        Listeners listeners = new Listeners(name);
        EngineConnectionSource source = new EngineConnectionSource(name, parsed.dialect(), parsed.jdbcUrl(),
                parsed.toString(), driver, props, isolationLevel, listeners);
        source.wrapWith(connectionWrapper);
        Secrets secrets = Secrets.ofAll(passwords(parsed, props));
        ManagedPool managed = new ManagedPool(spec, new ManagedPool.Rules(prePing, poolRecycle, resetOnReturn,
                isolationLevel, leakThreshold), provider, source, listeners, secrets);
        return new Engine(parsed, managed, echo, hideParameters, fetchSize, secrets, leakDetection,
                slowQueryThreshold, transactionPooling);
    }

    private void checkRanges(List<String> problems) {
        // The pool name starts every log line and message: a newline in it would forge log lines.
        if (poolName != null && (poolName.isBlank() || Texts.hasControl(poolName))) {
            problems.add("poolName must not be blank or hold control characters, was " + shown(poolName));
        }
        if (poolSize < 0) {
            problems.add("poolSize must be >= 0 (0 = no limit), was " + poolSize);
        }
        if (maxOverflow < -1) {
            problems.add("maxOverflow must be >= -1 (-1 = unlimited), was " + maxOverflow);
        }
        int cap = PoolSpec.MAX_CONNECTIONS_LIMIT;
        if (poolSize > cap) {
            problems.add("poolSize must be <= " + cap + " (0 = no limit), was " + poolSize);
        } else if (poolSize > 0 && maxOverflow > 0 && (long) poolSize + maxOverflow > cap) {
            problems.add("poolSize + maxOverflow must be <= " + cap + " (maxOverflow -1 = unlimited), was " + poolSize
                    + " + " + maxOverflow);
        }
        if (poolTimeout == null || poolTimeout.isNegative()) {
            problems.add("poolTimeout must be >= 0, was " + poolTimeout);
        }
        if (poolRecycle != null && (poolRecycle.isNegative() || poolRecycle.isZero())) {
            problems.add("poolRecycle must be positive (or null for off), was " + poolRecycle);
        }
        if (resetOnReturn == null) {
            problems.add("resetOnReturn must be one of ROLLBACK, COMMIT, NONE, was null");
        }
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero())) {
            problems.add("connectTimeout must be positive (or null for the driver's default), was " + connectTimeout);
        }
        if (leakThreshold != null && (leakThreshold.isNegative() || leakThreshold.isZero())) {
            problems.add("leakThreshold must be positive (or null for off), was " + leakThreshold);
        }
        if (slowQueryThreshold != null && (slowQueryThreshold.isNegative() || slowQueryThreshold.isZero())) {
            problems.add("slowQueryThreshold must be positive (or null for off), was " + slowQueryThreshold);
        }
        if (fetchSize < 0) {
            problems.add("fetchSize must be >= 0 (0 = driver default), was " + fetchSize);
        }
        if (leakDetection == null) {
            problems.add("leakDetection must be one of OFF, WARN, WARN_WITH_STACK, was null");
        }
    }

    private PoolProvider resolveProvider(List<String> problems) {
        if (pool == null) {
            return PoolProviders.best();
        }
        PoolProvider p = PoolProviders.find(pool);
        if (p == null) {
            problems.add("pool " + shown(pool) + " is not on the classpath; available: "
                    + String.join(", ", PoolProviders.names())
                    + " (add athanor-pool-" + Texts.quoted(pool)
                    + " as a dependency if it is one of Athanor's backends)");
            return PoolProviders.best();
        }
        return p;
    }

    private PoolSpec spec(String name) {
        PoolSpec.Builder b = PoolSpec.builder(name);
        // Copy values through the spec builder only where explicit, so the spec records what the user set.
        if (explicit.contains(Knob.POOL_SIZE)) {
            b.poolSize(poolSize);
        }
        if (explicit.contains(Knob.MAX_OVERFLOW)) {
            b.maxOverflow(maxOverflow);
        }
        if (explicit.contains(Knob.POOL_TIMEOUT)) {
            b.poolTimeout(poolTimeout);
        }
        if (explicit.contains(Knob.USE_LIFO)) {
            b.useLifo(useLifo);
        }
        // Pre-ping, recycle and reset on return are the engine's alone: the spec records only that they were set.
        for (Knob engineOnly : EnumSet.of(Knob.POOL_RECYCLE, Knob.PRE_PING, Knob.RESET_ON_RETURN)) {
            if (explicit.contains(engineOnly)) {
                b.explicit(engineOnly);
            }
        }
        b.isolationLevel(isolationLevel);
        backendProperties.forEach(b::backendProperty);
        return b.build();
    }

    private static void checkCapabilities(PoolProvider provider, PoolSpec spec, List<String> problems) {
        for (Knob knob : spec.explicitlySet()) {
            Capability cap = provider.capabilities().get(knob);
            if (cap != null && cap.fidelity() == Fidelity.UNSUPPORTED) {
                problems.add(knob.optionName() + " is not supported by pool '" + provider.name() + "': "
                        + cap.note() + "; pools on the classpath that support it: " + supporters(knob));
            }
        }
    }

    private static String supporters(Knob knob) {
        List<String> names = new ArrayList<>();
        for (PoolProvider p : PoolProviders.all()) {
            Capability c = p.capabilities().get(knob);
            if (c != null && c.fidelity() != Fidelity.UNSUPPORTED) {
                names.add(p.name());
            }
        }
        return names.isEmpty() ? "none (add athanor-pool-hikari, athanor-pool-dbcp or athanor-pool-c3p0)"
                : String.join(", ", names);
    }

    /** The password wherever it was given: the URL, the text of a raw or H2 URL, the {@code password} connect arg. */
    private static List<String> passwords(Url parsed, Properties props) {
        List<String> passwords = new ArrayList<>();
        passwords.add(parsed.password());
        passwords.add(props.getProperty("password"));
        String text = parsed.render(false);
        for (int[] range : UrlCodec.secretRanges(text)) {
            passwords.add(text.substring(range[0], range[1]));
        }
        return passwords;
    }

    private static Driver findDriver(Url parsed, List<String> problems) {
        try {
            // Drivers are asked with the password masked: some log every URL they are offered (pgjdbc at FINE).
            return DriverManager.getDriver(Url.mask(parsed.jdbcUrl()));
        } catch (SQLException e) {
            problems.add("no JDBC driver on the classpath accepts " + parsed.dialect().id() + " URLs ("
                    + UrlCodec.quoted(Url.mask(parsed.jdbcUrl())) + "); add the driver, e.g. "
                    + driverHint(parsed.dialect()));
            return null;
        }
    }

    private static String driverHint(Dialect dialect) {
        switch (dialect) {
            case POSTGRESQL:
                return "org.postgresql:postgresql";
            case MARIADB:
            case MYSQL:
                return "org.mariadb.jdbc:mariadb-java-client (or com.mysql:mysql-connector-j for jdbc:mysql)";
            case H2:
                return "com.h2database:h2";
            case SQLITE:
                return "org.xerial:sqlite-jdbc";
            default:
                return "your database's JDBC driver";
        }
    }
}
