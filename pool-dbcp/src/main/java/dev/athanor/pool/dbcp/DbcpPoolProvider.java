package dev.athanor.pool.dbcp;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.util.List;

/**
 * {@code dbcp}: Apache Commons DBCP2 connection pooling (commons-pool2's {@code GenericObjectPool}) with SQLAlchemy's
 * QueuePool semantics. Found on the classpath by {@link java.util.ServiceLoader}; priority 200, so it is the default
 * when HikariCP (300) is absent.
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
 * <p>Declared capabilities: every knob {@code EXACT} ({@code poolSize}, {@code maxOverflow}, {@code poolTimeout},
 * {@code poolRecycle}, {@code poolPrePing}, {@code resetOnReturn}, {@code useLifo}); {@link DbcpPoolBackend} says how
 * each maps to the native pool and what the adapter enforces itself.
 *
 * <p>Backend properties use DBCP's configuration names
 * (<a href="https://commons.apache.org/proper/commons-dbcp/configuration.html">DBCP configuration</a>): the evictor
 * ({@code timeBetweenEvictionRunsMillis}, {@code numTestsPerEvictionRun}, {@code minEvictableIdleTimeMillis},
 * {@code softMinEvictableIdleTimeMillis}, {@code testWhileIdle}), abandoned-connection tracking
 * ({@code removeAbandonedOnBorrow}, {@code removeAbandonedOnMaintenance}, {@code removeAbandonedTimeout},
 * {@code logAbandoned}, {@code abandonedUsageTracking}, {@code requireFullStackTrace}), statement pooling
 * ({@code poolPreparedStatements}, {@code maxOpenPreparedStatements}, {@code clearStatementPoolOnReturn}), validation
 * ({@code validationQuery}, {@code validationQueryTimeout}, {@code fastFailValidation}, {@code disconnectionSqlCodes},
 * {@code disconnectionIgnoreSqlCodes}), connection defaults ({@code connectionInitSqls}, {@code defaultReadOnly},
 * {@code defaultCatalog}, {@code defaultSchema}, {@code defaultQueryTimeout}, {@code cacheState}) and the pool
 * ({@code fairness}, {@code collectDetailedStatistics}, {@code jmxEnabled}, {@code jmxNamePrefix}). Settings an
 * engine option owns ({@code maxTotal}, {@code maxIdle}, {@code minIdle}, {@code initialSize}, {@code maxWaitMillis},
 * {@code lifo}, {@code testOnBorrow}, {@code maxConnLifetimeMillis}, {@code defaultAutoCommit},
 * {@code rollbackOnReturn}, {@code defaultTransactionIsolation}, {@code url}, …) are refused naming that option.
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
