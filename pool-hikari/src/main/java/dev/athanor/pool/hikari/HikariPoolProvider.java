package dev.athanor.pool.hikari;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolProvider;
import dev.athanor.spi.PoolSpec;

import java.util.List;

/**
 * The {@code hikari} pool backend: HikariCP 7 as the connection store under the engine's pool rules (see
 * {@link HikariPoolBackend} for how it is set up). Priority 300: the default pool when it is on the classpath.
 *
 * <pre>{@code
 * Engine engine = Engine.builder("postgresql://app@db/orders")
 *         .pool("hikari")                       // optional: the highest-priority pool on the classpath
 *         .poolSize(5).maxOverflow(10)
 *         .poolTimeout(Duration.ofMillis(500))
 *         .backendProperty("leakDetectionThreshold", "5000")
 *         .build();
 * HikariDataSource native = engine.unwrap(HikariDataSource.class);
 * }</pre>
 *
 * <h2>Capabilities</h2>
 * <ul>
 *   <li>{@code poolSize}, {@code maxOverflow}, {@code poolTimeout}, {@code poolRecycle}, {@code poolPrePing},
 *       {@code resetOnReturn}: exact; the engine applies them, and HikariCP is set up never to stand in the way.</li>
 *   <li>{@code useLifo}: unsupported (refused at {@code build()} when set, to either value): HikariCP's bag hands a
 *       thread the connections it returned itself, newest first, then the oldest idle connection; neither FIFO nor
 *       LIFO can be chosen.</li>
 * </ul>
 * A failed connect reaches the checkout that asked within one 250 ms slice (HikariCP's {@code connectionTimeout}
 * floor), since HikariCP connects on its own thread and offers no public way to wake a borrower early.
 *
 * <h2>Backend properties</h2>
 * Accepted: {@code leakDetectionThreshold} (ms, 0 or at least 2000) and {@code registerMbeans}, passed to HikariCP,
 * and {@code connectionInitSql}, run and committed by the store on each new connection, so that a failure is
 * reported like a failed connect. Settings an Athanor option owns ({@code maximumPoolSize}, {@code minimumIdle},
 * {@code connectionTimeout}, {@code maxLifetime}, {@code autoCommit}, {@code transactionIsolation},
 * {@code readOnly}, {@code jdbcUrl}, …) or that would undo its rules ({@code idleTimeout}, {@code keepaliveTime},
 * {@code connectionTestQuery}, {@code allowPoolSuspension}, …) are refused with the option to use instead; any
 * other name is an error.
 */
public final class HikariPoolProvider implements PoolProvider {
    static final Capabilities CAPABILITIES = Capabilities.builder()
            .allExact()
            .set(Knob.USE_LIFO, Capability.unsupported("HikariCP's bag hands a thread the connections it returned"
                    + " itself (newest first), then the oldest idle connection; neither FIFO nor LIFO can be chosen"))
            .build();

    @Override
    public String name() {
        return "hikari";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public List<String> validate(PoolSpec spec) {
        return HikariSettings.problems(spec);
    }

    @Override
    public PoolBackend create(PoolSpec spec, ConnectionSource source) {
        return new HikariPoolBackend(spec, source);
    }
}
