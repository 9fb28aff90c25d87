package dev.athanor.testkit.reference;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deliberately broken backends, each the reference with one flaw, to prove that the kit catches it. Test code only.
 */
public final class BrokenProviders {
    private BrokenProviders() {
    }

    /** {@code leaky}: drops an overflow connection at checkin without closing it. */
    public static final class Leaky extends ReferenceProvider {
        @Override
        public String name() {
            return "leaky";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source, capabilities()) {
                @Override
                protected void discard(Connection c) {
                    // The flaw: forgotten, never closed.
                }
            };
        }
    }

    /** {@code unbounded}: ignores maxOverflow; every checkout gets a connection at once. */
    public static final class Unbounded extends ReferenceProvider {
        @Override
        public String name() {
            return "unbounded";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source, capabilities()) {
                @Override
                protected void acquireSlot() {
                    // The flaw: no limit.
                }

                @Override
                protected void releaseSlot() {
                }
            };
        }
    }

    /** {@code patient}: at the limit, waits until a connection comes back, however long that takes. */
    public static final class Patient extends ReferenceProvider {
        @Override
        public String name() {
            return "patient";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(PoolSpec.builder(spec.poolName()).poolSize(spec.poolSize())
                    .maxOverflow(spec.maxOverflow()).poolTimeout(Duration.ofDays(1)).useLifo(spec.useLifo()).build(),
                    source, capabilities());
        }
    }

    /** {@code braggart}: declares overflow closed within 100 ms, but closes overflow connections after 1.5 s. */
    public static final class Braggart extends ReferenceProvider {
        private static final Capabilities CLAIMS = Capabilities.builder().allExact()
                .set(Knob.MAX_OVERFLOW, Capability.approximate("overflow connections close within 100 ms",
                        Duration.ofMillis(100)))
                .build();

        @Override
        public String name() {
            return "braggart";
        }

        @Override
        public Capabilities capabilities() {
            return CLAIMS;
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source, capabilities()) {
                @Override
                protected void discard(Connection c) {
                    CompletableFuture.runAsync(() -> closeQuietly(c),
                            CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
                }
            };
        }
    }
}
