package dev.athanor.testkit.reference;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.ConnectionSource;
import dev.athanor.spi.Knob;
import dev.athanor.spi.PoolBackend;
import dev.athanor.spi.PoolSpec;
import dev.athanor.spi.support.DelegatingConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deliberately broken stores, each the reference with one flaw a store can still have under the engine's rules, to
 * prove that the kit catches it. Test code only.
 */
public final class BrokenProviders {
    private BrokenProviders() {
    }

    /** {@code leaky}: forgets a discarded connection without closing it. */
    public static final class Leaky extends ReferenceProvider {
        @Override
        public String name() {
            return "leaky";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                public void discard(Connection c) {
                    // The flaw: forgotten, never closed.
                }
            };
        }
    }

    /** {@code eager}: opens a spare connection ahead of demand whenever it opens one (a native minimum idle). */
    public static final class Eager extends ReferenceProvider {
        @Override
        public String name() {
            return "eager";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                protected Connection connect(ConnectionSource s) throws SQLException {
                    Connection spare = s.connect(); // the flaw
                    opened(spare);
                    idle().offerLast(spare);
                    return s.connect();
                }
            };
        }
    }

    /** {@code retrying}: tries a failed connect once more before the checkout hears of it. */
    public static final class Retrying extends ReferenceProvider {
        @Override
        public String name() {
            return "retrying";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                protected Connection connect(ConnectionSource s) throws SQLException {
                    try {
                        return s.connect();
                    } catch (SQLException first) {
                        return s.connect(); // the flaw: a silent retry
                    }
                }
            };
        }
    }

    /** {@code hoarding}: {@code dispose()} closes nothing. */
    public static final class Hoarding extends ReferenceProvider {
        @Override
        public String name() {
            return "hoarding";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                public void dispose() {
                    // The flaw: idle connections stay open.
                }

                @Override
                public void close() {
                    for (Connection c = idle().pollFirst(); c != null; c = idle().pollFirst()) {
                        discard(c);
                    }
                    super.close();
                }
            };
        }
    }

    /** {@code forgetful}: {@code close()} closes the idle connections but not the borrowed ones. */
    public static final class Forgetful extends ReferenceProvider {
        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                public void close() {
                    dispose(); // the flaw: borrowed connections stay open
                }
            };
        }
    }

    /** {@code wrapping}: hands out its own wrapper, which does not unwrap to the engine's connection. */
    public static final class Wrapping extends ReferenceProvider {
        @Override
        public String name() {
            return "wrapping";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec, source) {
                @Override
                public Connection take() throws SQLException {
                    return new Opaque(super.take());
                }

                @Override
                public void keep(Connection c) {
                    super.keep(((Opaque) c).inner());
                }

                @Override
                public void discard(Connection c) {
                    super.discard(c instanceof Opaque ? ((Opaque) c).inner() : c);
                }
            };
        }

        /** The flaw: unwraps to nothing but itself. */
        static final class Opaque extends DelegatingConnection {
            Opaque(Connection delegate) {
                super(delegate);
            }

            Connection inner() {
                return delegate;
            }

            @Override
            public void close() throws SQLException {
                delegate.close();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                if (iface.isInstance(this)) {
                    return iface.cast(this);
                }
                throw new SQLException("not a wrapper for " + iface.getName());
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return iface.isInstance(this);
            }
        }
    }

    /** {@code fifo-only}: declares {@code useLifo} EXACT but always hands out the longest-idle connection. */
    public static final class FifoOnly extends ReferenceProvider {
        @Override
        public String name() {
            return "fifo-only";
        }

        @Override
        public PoolBackend create(PoolSpec spec, ConnectionSource source) {
            return new ReferenceBackend(spec.toBuilder().useLifo(false).build(), source); // the flaw
        }
    }

    /** {@code braggart}: declares overflow closed within 100 ms, but closes discarded connections after 1.5 s. */
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
            return new ReferenceBackend(spec, source) {
                @Override
                public void discard(Connection c) {
                    CompletableFuture.runAsync(() -> super.discard(c),
                            CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
                }
            };
        }
    }

    /** {@code undeclared}: declares no capability for {@code useLifo}. */
    public static final class Undeclared extends ReferenceProvider {
        private static final Capabilities MISSING_LIFO = Capabilities.builder()
                .set(Knob.POOL_SIZE, Capability.exact())
                .set(Knob.MAX_OVERFLOW, Capability.exact())
                .set(Knob.POOL_TIMEOUT, Capability.exact())
                .set(Knob.POOL_RECYCLE, Capability.exact())
                .set(Knob.PRE_PING, Capability.exact())
                .set(Knob.RESET_ON_RETURN, Capability.exact())
                .build();

        @Override
        public String name() {
            return "undeclared";
        }

        @Override
        public Capabilities capabilities() {
            return MISSING_LIFO;
        }
    }
}
