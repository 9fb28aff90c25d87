package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.beans.PropertyVetoException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code c3p0} backend (priority 100): a c3p0 0.14 pool with SQLAlchemy's QueuePool rules.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://app@db/orders")
 *         .pool("c3p0")
 *         .poolSize(5).maxOverflow(10).poolTimeout(Duration.ofSeconds(30))
 *         .backendProperty("maxStatements", "200")      // c3p0's statement cache
 *         .build();
 * PooledDataSource c3p0 = engine.unwrap(PooledDataSource.class);
 * }</pre>
 *
 * <p>How each option maps, and what the adapter enforces because c3p0 cannot (every knob is declared EXACT):
 * <table>
 * <caption>Athanor options on c3p0</caption>
 * <tr><th>option</th><th>c3p0</th><th>enforced by the adapter</th></tr>
 * <tr><td>poolSize, maxOverflow</td><td>{@code initialPoolSize = minPoolSize = 0}, {@code acquireIncrement = 1}
 * (lazy growth, one connection per need), {@code maxPoolSize = poolSize + maxOverflow} ({@code Integer.MAX_VALUE}
 * when unlimited)</td><td>c3p0 has no idle cap that works with an empty start ({@code maxIdleTimeExcessConnections}
 * counts above {@code minPoolSize}, and {@code minPoolSize > 0} fills the pool eagerly). A returned connection is
 * closed at once when {@code poolSize} are idle, counting those being opened that no waiting checkout will take (c3p0
 * gives a returned connection to a waiting checkout, whose new connection then lands idle); c3p0 is made to forget
 * it without opening a replacement (c3p0 keeps a sticky target size and refills after any removal but its own idle
 * culling, so the adapter resets that target under the pool's lock). The same happens after a failed connect, so
 * no extra connection opens later. The target does keep one connection for each checkout waiting in c3p0 with
 * nothing idle or being opened for it (one that arrived meanwhile took the connection opened for it; a checkout
 * entering c3p0 while an idle connection is about to go to a waiting one waits for that first, so this is rare): as
 * in QueuePool, that checkout gets a new connection while the limit allows instead of waiting for a checkin.</td></tr>
 * <tr><td>poolTimeout</td><td>{@code checkoutTimeout = 0}</td><td>c3p0's {@code checkoutTimeout} also counts the
 * time its helper threads spend opening a connection, so a slow connect would fail as a pool timeout, and
 * {@code poolTimeout 0} could never open one. The adapter waits for a free slot itself ({@code CheckoutSlots}: one
 * queue of {@code poolSize + maxOverflow} slots, waiters served in arrival order, nanosecond deadline) and throws
 * SQLAlchemy's {@code PoolTimeoutException}; c3p0
 * never reaches its own limit, so there is no native exception to keep as the cause.</td></tr>
 * <tr><td>poolRecycle, poolPrePing</td><td>{@code maxConnectionAge = 0}, no connection tests: the engine recycles
 * and pings at checkout</td><td>c3p0 runs with {@link EngineConnectionTester}, so an SQL error never makes c3p0
 * drop a connection and open another behind the engine's back; the engine invalidates.</td></tr>
 * <tr><td>resetOnReturn</td><td>{@code forceIgnoreUnresolvedTransactions = true},
 * {@code autoCommitOnClose = false}: c3p0 neither rolls back nor switches auto-commit on (it otherwise
 * does {@code setAutoCommit(true)} on every return); the engine resets</td><td>auto-commit is set off again at
 * checkin if a borrower turned it on. c3p0 itself restores isolation, read-only, catalog and holdability changed
 * through its proxy to the values the connection was opened with (the engine's).</td></tr>
 * <tr><td>useLifo</td><td>c3p0 always reuses the most recently returned connection (LIFO)</td><td>FIFO (the
 * default): a returned connection is moved to the back of c3p0's idle list right after c3p0 takes it back. A
 * checkout racing with that very checkin may take the returned connection first.</td></tr>
 * </table>
 *
 * <p>Also set: {@code forceSynchronousCheckins = true} (a returned connection is idle when {@code close()} returns,
 * so counts are exact), {@code acquireRetryAttempts = 0} (one connect attempt: a failure surfaces at once instead of
 * after c3p0's default 30 retries one second apart), {@code breakAfterAcquireFailure = false},
 * {@code markSessionBoundaries = never}, {@code numHelperThreads = 3} (c3p0's default; daemon threads, started at
 * the first checkout and stopped by {@code close()}). The data source is not registered with c3p0's registry, so no
 * JMX MBean is created. c3p0 logs through SLF4J (its MLog finds SLF4J first) under {@code com.mchange}.
 *
 * <p>Known c3p0 behaviour kept: c3p0 opens connections on helper threads, so a hanging connect holds one of them
 * (three by default) rather than the caller's thread, and a connection returned meanwhile goes to whichever
 * checkout is waiting; a failed connect fails every checkout waiting for a new connection at that moment, not just
 * the one that asked for it. A checkout that starts later is not failed by it: c3p0 keeps refusing new checkouts
 * until its helper thread has seen every waiter fail, and the adapter lets a checkout into c3p0 only after that.
 * {@code dispose()} retires the c3p0 pool: its idle connections are closed by a c3p0 thread right away and the next
 * checkout starts a new, empty pool (new helper threads).
 *
 * <p>Passthrough: {@code backendProperty(name, value)} accepts c3p0's remaining settings (statement cache, idle
 * tests, {@code unreturnedConnectionTimeout}, helper threads, ...); settings that Athanor owns are refused with the
 * option to use instead, unknown ones with the list of accepted names.
 */
public final class C3p0PoolProvider implements PoolProvider {
    private static final AtomicLong IDENTITY = new AtomicLong();

    private static final Capabilities CAPABILITIES = Capabilities.builder().allExact().build();
    private static final int HELPER_THREADS = 3;

    @Override
    public String name() {
        return "c3p0";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public List<String> validate(PoolSpec spec) {
        return C3p0Properties.problems(spec.backendProperties());
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        WrapperConnectionPoolDataSource poolSource = new WrapperConnectionPoolDataSource(false);
        PoolBackedDataSource dataSource = new PoolBackedDataSource(false);
        // Unregistered c3p0 beans get no identity token, and c3p0's own DEBUG logging calls their hashCode(), which
        // then fails: give each one a token of its own (the beans are still never registered).
        String token = spec.poolName() + "-" + IDENTITY.incrementAndGet();
        poolSource.setIdentityToken(token + "-source");
        dataSource.setIdentityToken(token + "-pool");
        try {
            configure(spec, source, poolSource, dataSource);
        } catch (PropertyVetoException e) {
            throw new IllegalStateException("[" + spec.poolName() + "] c3p0 refused a setting: " + e.getMessage(), e);
        }
        C3p0Properties.apply(spec.backendProperties(), poolSource, dataSource);
        return new C3p0PoolBackend(spec, poolSource, dataSource, CAPABILITIES);
    }

    private static void configure(PoolSpec spec, ConnectionSource source, WrapperConnectionPoolDataSource poolSource,
                                  PoolBackedDataSource dataSource) throws PropertyVetoException {
        poolSource.setNestedDataSource(source.asDataSource());
        poolSource.setInitialPoolSize(0);
        poolSource.setMinPoolSize(0);
        poolSource.setAcquireIncrement(1);
        poolSource.setMaxPoolSize(spec.maxConnections());
        poolSource.setCheckoutTimeout(0);
        poolSource.setMaxIdleTime(0);
        poolSource.setMaxIdleTimeExcessConnections(0);
        poolSource.setMaxConnectionAge(0);
        poolSource.setIdleConnectionTestPeriod(0);
        poolSource.setTestConnectionOnCheckout(false);
        poolSource.setTestConnectionOnCheckin(false);
        poolSource.setConnectionTesterClassName(EngineConnectionTester.class.getName());
        poolSource.setPreferredTestQuery(null);
        poolSource.setAutomaticTestTable(null);
        poolSource.setAttemptResurrectOnCheckin(false);
        poolSource.setAutoCommitOnClose(false);
        poolSource.setForceIgnoreUnresolvedTransactions(true);
        poolSource.setForceSynchronousCheckins(true);
        poolSource.setAcquireRetryAttempts(0);
        poolSource.setBreakAfterAcquireFailure(false);
        poolSource.setMarkSessionBoundaries("never");
        poolSource.setUnreturnedConnectionTimeout(0);
        dataSource.setDataSourceName(spec.poolName());
        dataSource.setNumHelperThreads(HELPER_THREADS);
        dataSource.setConnectionPoolDataSource(poolSource);
    }
}
