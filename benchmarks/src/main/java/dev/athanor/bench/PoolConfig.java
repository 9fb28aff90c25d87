package dev.athanor.bench;

import java.time.Duration;

/**
 * The pool knobs a benchmark varies, applied alike to an Athanor engine and to the equivalent native pool.
 *
 * @param poolSize    idle connections kept (SQLAlchemy's {@code pool_size})
 * @param maxOverflow connections allowed above {@code poolSize}
 * @param prePing     test each pooled connection at checkout
 * @param poolTimeout how long a checkout waits at the limit
 */
public record PoolConfig(int poolSize, int maxOverflow, boolean prePing, Duration poolTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public PoolConfig {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1 in a benchmark, was " + poolSize);
        }
        if (maxOverflow < 0) {
            throw new IllegalArgumentException("maxOverflow must be >= 0 in a benchmark, was " + maxOverflow);
        }
    }

    public static PoolConfig of(int poolSize, int maxOverflow, boolean prePing) {
        return new PoolConfig(poolSize, maxOverflow, prePing, DEFAULT_TIMEOUT);
    }

    /** The most connections open at once. */
    public int maxConnections() {
        return poolSize + maxOverflow;
    }
}
