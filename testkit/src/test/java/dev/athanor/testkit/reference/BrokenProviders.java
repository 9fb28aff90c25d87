package dev.athanor.testkit.reference;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * {@code sluggish}: a slot freed by {@code invalidate()} or by a failed connect is given back only after 3 s, as
     * by a native pool that opens connections only when a borrow asks and so serves waiting checkouts only when they
     * ask again; a checkin frees its slot at once.
     */
    public static final class Sluggish extends ReferenceProvider {
        @Override
        public String name() {
            return "sluggish";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source, capabilities()) {
                private final ThreadLocal<Boolean> late = ThreadLocal.withInitial(() -> false);

                @Override
                public Connection checkout() throws SQLException {
                    late.set(true); // within checkout() a slot is released only when the connect failed
                    try {
                        return super.checkout();
                    } finally {
                        late.remove();
                    }
                }

                @Override
                public void invalidate(Connection c) {
                    late.set(true);
                    try {
                        super.invalidate(c);
                    } finally {
                        late.remove();
                    }
                }

                @Override
                protected void releaseSlot() {
                    if (late.get()) {
                        CompletableFuture.runAsync(super::releaseSlot,
                                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
                    } else {
                        super.releaseSlot();
                    }
                }
            };
        }
    }

    /**
     * {@code threadbound}: a checkin from a thread that did not borrow the connection is ignored, so a connection the
     * leak detector returns (from the garbage collector's cleaner thread) keeps its slot forever.
     */
    public static final class ThreadBound extends ReferenceProvider {
        @Override
        public String name() {
            return "threadbound";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source, capabilities()) {
                private final Map<Connection, Thread> borrowers = new ConcurrentHashMap<>();

                @Override
                public Connection checkout() throws SQLException {
                    Connection c = super.checkout();
                    borrowers.put(c, Thread.currentThread());
                    return c;
                }

                @Override
                public void checkin(Connection c) {
                    if (borrowers.get(c) != Thread.currentThread()) {
                        return; // the flaw
                    }
                    borrowers.remove(c);
                    super.checkin(c);
                }
            };
        }
    }
}
