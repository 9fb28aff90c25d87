package dev.athanor.pool.dbcp;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.util.List;

/**
 * {@code dbcp}: Apache Commons DBCP2 connections kept in a commons-pool2 {@code GenericObjectPool}, as a store under
 * the engine's pool rules (SQLAlchemy's QueuePool). Found on the classpath by {@link java.util.ServiceLoader};
 * priority 200, so it is the default when HikariCP (300) is absent.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://scott:tiger@localhost/test")
 *         .pool("dbcp")
 *         .poolSize(5).maxOverflow(10).poolTimeout(Duration.ofSeconds(30))
 *         .backendProperty("timeBetweenEvictionRunsMillis", "60000")   // DBCP's own setting, passed through
 *         .build();
 * GenericObjectPool<?> pool = engine.unwrap(GenericObjectPool.class);
 * }</pre>
 *
 * <p>Declared capabilities: every knob {@code EXACT}. The engine enforces them all (cap, queue, timeout, idle cap,
 * recycle, pre-ping, reset); {@link DbcpPoolBackend} says how the native pool is set up so that it never stands in
 * the way, and how {@code useLifo} maps onto pool2's {@code lifo}.
 *
 * <p>Backend properties use DBCP's configuration names
 * (<a href="https://commons.apache.org/proper/commons-dbcp/configuration.html">DBCP configuration</a>): the evictor
 * ({@code timeBetweenEvictionRunsMillis}, {@code numTestsPerEvictionRun}, {@code minEvictableIdleTimeMillis},
 * {@code softMinEvictableIdleTimeMillis}, {@code testWhileIdle} with {@code validationQuery} and
 * {@code validationQueryTimeout}), {@code connectionInitSqls}, and monitoring ({@code collectDetailedStatistics},
 * {@code jmxEnabled}, {@code jmxNamePrefix}). Settings an engine option owns ({@code maxTotal}, {@code maxIdle},
 * {@code minIdle}, {@code maxWaitMillis}, {@code lifo}, {@code testOnBorrow}, {@code maxConnLifetimeMillis},
 * {@code rollbackOnReturn}, {@code defaultTransactionIsolation}, {@code removeAbandonedOnBorrow}, {@code url}, …)
 * are refused naming that option; settings that act through DBCP's connection wrapper, which borrowers never use
 * (statement pooling, {@code defaultReadOnly}, {@code disconnectionSqlCodes}, …), are refused saying so.
 */
public final class DbcpPoolProvider implements PoolProvider {
    /** The name engines select this backend by. */
    public static final String NAME = "dbcp";

    static final Capabilities CAPABILITIES = Capabilities.builder().allExact().build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Refuses unknown backend properties, those an engine option owns, and values of the wrong form. */
    @Override
    public List<String> validate(PoolSpec spec) {
        return DbcpProperties.problems(NAME, spec);
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new DbcpPoolBackend(spec, source);
    }
}
