package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.beans.PropertyVetoException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code c3p0} backend (priority 100): c3p0 keeps the connections, the engine applies the pool rules.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://app@db/orders")
 *         .pool("c3p0")
 *         .poolSize(5).maxOverflow(10)
 *         .backendProperty("maxStatements", "200")      // c3p0's statement cache
 *         .build();
 * PooledDataSource c3p0 = engine.unwrap(PooledDataSource.class);
 * }</pre>
 *
 * <p>The pool is a {@link PoolBackedDataSource} over a {@link WrapperConnectionPoolDataSource}, configured through
 * c3p0's documented settings only, so that it never stands in the engine's way: {@code maxPoolSize} at least
 * {@code poolSize + maxOverflow} (the engine caps and queues checkouts), {@code minPoolSize = initialPoolSize = 0}
 * and {@code acquireIncrement = 1} (nothing opened up front, one connection per need), no idle expiry, no connection
 * age, no checkout test ({@code maxIdleTime}, {@code maxIdleTimeExcessConnections}, {@code maxConnectionAge} 0: the
 * engine recycles and pings), {@code autoCommitOnClose = false} and {@code forceIgnoreUnresolvedTransactions = true}
 * (the engine resets on return), {@code forceSynchronousCheckins = true} (a kept connection is idle, a discarded one
 * gone from c3p0, when the checkin returns). c3p0 opens connections on its helper threads (three, daemon, stopped by
 * the engine's {@code close()}), through a {@link dev.athanor.spi.support.ConnectFailures} data source, once per
 * need ({@code acquireRetryAttempts = 0}: one attempt in c3p0 0.14, whatever its documentation says of zero), and a
 * failed connect reaches the checkout that was waiting for it. {@link EngineConnectionTester} tests connections at
 * checkin only to drop those the engine has discarded (closed); an SQL error never makes c3p0 drop one.
 *
 * <p>What c3p0 cannot do through its public API, and what is declared instead:
 * <ul>
 *   <li>{@code useLifo} is unsupported: c3p0 always hands out the most recently returned connection (LIFO) and has no
 *       setting for the order, so the default FIFO reuse cannot be had; setting {@code useLifo} is refused.</li>
 * </ul>
 *
 * <p>Passthrough: {@code backendProperty(name, value)} accepts c3p0's remaining settings (statement cache, helper
 * threads, connection customizer, ...); settings the engine owns are refused with the option to use instead, unknown
 * ones with the list of accepted names ({@link C3p0Properties}).
 */
public final class C3p0PoolProvider implements PoolProvider {
    private static final AtomicLong IDENTITY = new AtomicLong();
    /** How long one wait inside c3p0 lasts before the checkout looks for a failed connect of its own. */
    static final int SLICE_MILLIS = 200;

    private static final Capabilities CAPABILITIES = Capabilities.builder().allExact()
            .set(Knob.USE_LIFO, Capability.unsupported("c3p0 always reuses the most recently returned connection"
                    + " first and has no setting for the order"))
            .build();

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
        // Unregistered c3p0 beans (no JMX, no registry) get no identity token, and c3p0's own DEBUG logging calls
        // their hashCode(), which then fails: give each one a token of its own.
        String token = spec.poolName() + "-" + IDENTITY.incrementAndGet();
        poolSource.setIdentityToken(token + "-source");
        dataSource.setIdentityToken(token + "-pool");
        C3p0PoolBackend backend = new C3p0PoolBackend(spec.poolName(), source, dataSource);
        try {
            configure(spec, backend, poolSource, dataSource);
        } catch (PropertyVetoException e) {
            throw new IllegalStateException("[" + spec.poolName() + "] c3p0 refused a setting: " + e.getMessage(), e);
        }
        C3p0Properties.apply(spec.backendProperties(), poolSource, dataSource);
        return backend;
    }

    private static void configure(PoolSpec spec, C3p0PoolBackend backend, WrapperConnectionPoolDataSource poolSource,
                                  PoolBackedDataSource dataSource) throws PropertyVetoException {
        poolSource.setNestedDataSource(backend.connections());
        poolSource.setInitialPoolSize(0);
        poolSource.setMinPoolSize(0);
        poolSource.setAcquireIncrement(1);
        poolSource.setMaxPoolSize(spec.maxConnections());
        poolSource.setCheckoutTimeout(SLICE_MILLIS);
        poolSource.setMaxIdleTime(0);
        poolSource.setMaxIdleTimeExcessConnections(0);
        poolSource.setMaxConnectionAge(0);
        poolSource.setIdleConnectionTestPeriod(0);
        poolSource.setTestConnectionOnCheckout(false);
        poolSource.setTestConnectionOnCheckin(true);
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
        dataSource.setNumHelperThreads(3);
        dataSource.setConnectionPoolDataSource(poolSource);
    }
}
