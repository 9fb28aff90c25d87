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
 *         .pool("c3p0").poolSize(5).maxOverflow(10)
 *         .backendProperty("maxStatements", "200")      // c3p0's statement cache
 *         .build();
 * PooledDataSource c3p0 = engine.unwrap(PooledDataSource.class);
 * }</pre>
 *
 * <p>c3p0 is configured so that it never stands in the engine's way: room for {@code poolSize + maxOverflow}
 * connections, none opened up front, one opened per need; no expiry or tests of its own (the engine recycles and
 * pings) except a check at checkin that drops connections the engine discarded ({@link EngineConnectionTester});
 * synchronous checkins; one connect attempt per need, whose failure reaches the checkout that waited for it.
 *
 * <p>c3p0 refills its pool to the largest size it reached; {@link C3p0PoolBackend} refuses those connects unless a
 * checkout waits. c3p0 logs each refusal at WARNING (two lines from {@code com.mchange.v2.resourcepool}, message
 * "Athanor refused c3p0's refill"); they are expected, and real connect failures reach the checkout anyway, so that
 * logger can be set to ERROR. {@code useLifo} is unsupported: c3p0 always reuses the most recently returned
 * connection and has no setting for the order. Other c3p0 settings pass through {@code backendProperty}
 * ({@link C3p0Properties}).
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
        WrapperConnectionPoolDataSource c = new WrapperConnectionPoolDataSource(false);
        PoolBackedDataSource pool = new PoolBackedDataSource(false);
        // Unregistered c3p0 beans get no identity token, and c3p0's DEBUG logging then fails in their hashCode().
        String token = spec.poolName() + "-" + IDENTITY.incrementAndGet();
        c.setIdentityToken(token + "-source");
        pool.setIdentityToken(token + "-pool");
        C3p0PoolBackend backend = new C3p0PoolBackend(spec.poolName(), source, pool);
        try {
            c.setNestedDataSource(backend.connections());
            c.setInitialPoolSize(0);
            c.setMinPoolSize(0);
            c.setAcquireIncrement(1);
            c.setMaxPoolSize(spec.maxConnections());
            c.setCheckoutTimeout(SLICE_MILLIS);
            c.setMaxIdleTime(0);
            c.setMaxIdleTimeExcessConnections(0);
            c.setMaxConnectionAge(0);
            c.setIdleConnectionTestPeriod(0);
            c.setTestConnectionOnCheckout(false);
            c.setTestConnectionOnCheckin(true);
            c.setConnectionTesterClassName(EngineConnectionTester.class.getName());
            c.setPreferredTestQuery(null);
            c.setAutomaticTestTable(null);
            c.setAttemptResurrectOnCheckin(false);
            c.setAutoCommitOnClose(false);
            c.setForceIgnoreUnresolvedTransactions(true);
            c.setForceSynchronousCheckins(true);
            c.setAcquireRetryAttempts(0); // one attempt in c3p0 0.14, whatever its documentation says of zero
            c.setBreakAfterAcquireFailure(false);
            c.setMarkSessionBoundaries("never");
            c.setUnreturnedConnectionTimeout(0);
            pool.setDataSourceName(spec.poolName());
            pool.setNumHelperThreads(3);
            pool.setConnectionPoolDataSource(c);
        } catch (PropertyVetoException e) {
            throw new IllegalStateException("[" + spec.poolName() + "] c3p0 refused a setting: " + e.getMessage(), e);
        }
        C3p0Properties.apply(spec.backendProperties(), c, pool);
        return backend;
    }
}
