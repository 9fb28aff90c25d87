package dev.athanor.spi;

import dev.athanor.IsolationLevel;
import dev.athanor.PoolTimeoutException;
import dev.athanor.internal.Arguments;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The validated pool settings a {@link PoolProvider} builds its backend from. Values are already checked by the
 * engine builder (ranges, capabilities); a backend only translates them to its native pool.
 *
 * <p>The engine enforces the cap ({@link #maxConnections()}), the idle cap ({@link #poolSize()}) and the timeout
 * itself, for every backend; a backend reads them to size its native pool so that it never stands in the way (its
 * own cap at least {@link #maxConnections()}, nothing opened up front, nothing retired behind the engine's back).
 * What only the engine applies (pre-ping, recycle, reset on return) is not here. Connections come from the
 * {@link ConnectionSource} with auto-commit off and the engine's {@link #isolationLevel()} already set (auto-commit
 * on, for {@link IsolationLevel#AUTOCOMMIT}: a native pool that sets auto-commit itself must set it to match).
 */
public final class PoolSpec {
    /**
     * The largest {@code poolSize}, and {@code poolSize + maxOverflow}, the engine builder accepts: far beyond what a
     * database serves, and small enough that a backend's sums and native settings (all {@code int}) cannot
     * overflow. No limit at all is {@code poolSize 0} or {@code maxOverflow -1}.
     */
    public static final int MAX_CONNECTIONS_LIMIT = 100_000;
    /** SQLAlchemy's {@code pool_size} default, the engine builder's too. */
    public static final int DEFAULT_POOL_SIZE = 5;
    /** SQLAlchemy's {@code max_overflow} default, the engine builder's too. */
    public static final int DEFAULT_MAX_OVERFLOW = 10;
    /** SQLAlchemy's {@code pool_timeout} default, the engine builder's too. */
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(30);

    private final String poolName;
    private final int poolSize;
    private final int maxOverflow;
    private final Duration poolTimeout;
    private final boolean useLifo;
    private final IsolationLevel isolationLevel;
    private final Map<String, String> backendProperties;
    private final Set<Knob> explicitlySet;

    private PoolSpec(Builder b) {
        this.poolName = b.poolName;
        this.poolSize = b.poolSize;
        this.maxOverflow = b.maxOverflow;
        this.poolTimeout = b.poolTimeout;
        this.useLifo = b.useLifo;
        this.isolationLevel = b.isolationLevel;
        this.backendProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.backendProperties));
        this.explicitlySet = Collections.unmodifiableSet(EnumSet.copyOf(b.explicitlySet));
    }

    /** A builder with SQLAlchemy's defaults: size 5, overflow 10, timeout 30 s. */
    public static Builder builder(String poolName) {
        return new Builder(poolName);
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder(poolName);
        b.poolSize = poolSize;
        b.maxOverflow = maxOverflow;
        b.poolTimeout = poolTimeout;
        b.useLifo = useLifo;
        b.isolationLevel = isolationLevel;
        b.backendProperties.putAll(backendProperties);
        b.explicitlySet.addAll(explicitlySet);
        return b;
    }

    /** Prefix of every log line and error message about this pool. */
    public String poolName() {
        return poolName;
    }

    /** Most idle connections kept; 0 means no limit on anything. */
    public int poolSize() {
        return poolSize;
    }

    /** Connections allowed beyond {@link #poolSize()}; -1 means unlimited. */
    public int maxOverflow() {
        return maxOverflow;
    }

    /** True when the number of open connections has no limit ({@code poolSize 0} or {@code maxOverflow -1}). */
    public boolean unlimited() {
        return poolSize == 0 || maxOverflow < 0;
    }

    /** {@code poolSize + maxOverflow}, or {@link Integer#MAX_VALUE} when {@link #unlimited()}. */
    public int maxConnections() {
        return unlimited() ? Integer.MAX_VALUE : poolSize + maxOverflow;
    }

    /** Most idle connections kept: {@link #poolSize()}, or {@link Integer#MAX_VALUE} for {@code poolSize 0}. */
    public int maxIdle() {
        return poolSize == 0 ? Integer.MAX_VALUE : poolSize;
    }

    /** How long a checkout waits when the limit is reached. */
    public Duration poolTimeout() {
        return poolTimeout;
    }




    public boolean useLifo() {
        return useLifo;
    }

    /**
     * Isolation level connections are handed out with; {@code null} for the driver's default.
     * {@link IsolationLevel#AUTOCOMMIT} means auto-commit on, isolation level as the driver has it.
     */
    public IsolationLevel isolationLevel() {
        return isolationLevel;
    }



    /** Native settings passed through to the backend ({@code backendProperty(...)}), in the order given. */
    public Map<String, String> backendProperties() {
        return backendProperties;
    }

    /** Knobs the user set explicitly (not left at their defaults). */
    public Set<Knob> explicitlySet() {
        return explicitlySet;
    }


    /** The error a checkout raises when it times out, with SQLAlchemy's wording and {@code cause} kept. */
    public PoolTimeoutException timeoutException(Throwable cause) {
        return new PoolTimeoutException(poolName, poolSize, maxOverflow, poolTimeout, cause);
    }

    @Override
    public String toString() {
        return "PoolSpec[" + poolName + ": poolSize=" + poolSize + ", maxOverflow=" + maxOverflow
                + ", poolTimeout=" + poolTimeout + ", useLifo=" + useLifo + ", isolationLevel=" + isolationLevel
                + ", backendProperties=" + backendProperties.keySet() + "]";
    }

    /**
     * Builds a {@link PoolSpec}. The engine builder validates values before it gets here; this builder only rejects
     * nulls, so tests and third-party code can make specs directly.
     */
    public static final class Builder {
        private final String poolName;
        private int poolSize = DEFAULT_POOL_SIZE;
        private int maxOverflow = DEFAULT_MAX_OVERFLOW;
        private Duration poolTimeout = DEFAULT_POOL_TIMEOUT;
        private boolean useLifo;
        private IsolationLevel isolationLevel;
        private final Map<String, String> backendProperties = new LinkedHashMap<>();
        private final EnumSet<Knob> explicitlySet = EnumSet.noneOf(Knob.class);

        private Builder(String poolName) {
            this.poolName = Arguments.notNull(poolName, "poolName");
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            explicitlySet.add(Knob.POOL_SIZE);
            return this;
        }

        public Builder maxOverflow(int maxOverflow) {
            this.maxOverflow = maxOverflow;
            explicitlySet.add(Knob.MAX_OVERFLOW);
            return this;
        }

        public Builder poolTimeout(Duration poolTimeout) {
            this.poolTimeout = Arguments.notNull(poolTimeout, "poolTimeout");
            explicitlySet.add(Knob.POOL_TIMEOUT);
            return this;
        }




        public Builder useLifo(boolean useLifo) {
            this.useLifo = useLifo;
            explicitlySet.add(Knob.USE_LIFO);
            return this;
        }

        public Builder isolationLevel(IsolationLevel isolationLevel) {
            this.isolationLevel = isolationLevel;
            return this;
        }


        public Builder backendProperty(String key, String value) {
            backendProperties.put(Arguments.notNull(key, "key"), Arguments.notNull(value, "value"));
            return this;
        }

        /**
         * Records that the user set {@code knob} although its value is not part of the spec (pre-ping, recycle and
         * reset on return are the engine's alone), so that a backend that declares it unsupported is refused.
         */
        public Builder explicit(Knob knob) {
            explicitlySet.add(Arguments.notNull(knob, "knob"));
            return this;
        }

        public PoolSpec build() {
            return new PoolSpec(this);
        }
    }
}
