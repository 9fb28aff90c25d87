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
 * <p>Every knob is declared {@code EXACT}: the engine enforces them all, and {@link DbcpPoolBackend} says how the
 * native pool is set up so that it never stands in the way. Backend properties use DBCP's configuration names: the
 * evictor ({@code timeBetweenEvictionRunsMillis}, {@code testWhileIdle}, {@code validationQuery}, …),
 * {@code connectionInitSqls} and monitoring ({@code jmxEnabled}, …); see {@link DbcpProperties}. A DBCP setting an
 * engine option owns ({@code maxTotal}, {@code lifo}, {@code testOnBorrow}, {@code removeAbandonedOnBorrow}, …) or
 * one that acts through DBCP's connection wrapper, which borrowers never use (statement pooling,
 * {@code defaultReadOnly}, …), is refused naming the option to use instead.
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
