package dev.athanor.testkit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every pool adapter must meet: the rules of Athanor's pool semantics, each a test with a stable id,
 * run against the adapter through the normal engine builder ({@code Engine.builder(url).pool(providerName())}).
 * Extend it and name your provider; that is the whole test class:
 *
 * <pre>{@code
 * class MyPoolContractTest extends PoolBackendContract {
 *     @Override
 *     protected String providerName() {
 *         return "mypool";
 *     }
 * }
 * }</pre>
 *
 * <p>What runs where:
 * <ul>
 *   <li>{@code Setup}: the provider is found by name through {@link java.util.ServiceLoader} and declares every knob
 *       (checked before every other rule too).</li>
 *   <li>{@code OnStub}: every database-independent rule, on the stub JDBC driver, which counts connects, closes,
 *       pings, commits and rollbacks and injects failures (failed, hanging and killed connections, database
 *       down).</li>
 *   <li>{@code OnH2}, {@code OnPostgresql}, {@code OnMariadb}: the rules whose outcome depends on a real driver and
 *       server (sizing with the server's own connection count, recycle, pre-ping against connections the server
 *       killed, reset on return with real transactions, dispose, concurrency). H2 always runs; PostgreSQL and
 *       MariaDB run when reachable (see {@code TestDatabase}) and must be reachable in CI.</li>
 * </ul>
 *
 * <p>A rule whose knob the backend declares {@code UNSUPPORTED} is skipped with the backend's reason; one declared
 * {@code APPROXIMATE} is checked against the declared bound. There is no other way to opt out: the rules are
 * package-private. Time allowances scale with {@code -Dathanor.testkit.timeScale=N} on slow machines. Each run
 * writes {@code target/athanor-fidelity/<provider>.md} and {@code .tsv}, the source of the README's fidelity table.
 */
@ExtendWith(ContractExtension.class)
public abstract class PoolBackendContract {

    /** The {@code PoolProvider.name()} of the backend under test, as users select it with {@code .pool(name)}. */
    protected abstract String providerName();

    @Nested
    @DisplayName("Setup: the provider is found by name and declares every knob")
    class Setup extends SetupRules {
        Setup() {
            super(PoolBackendContract.this);
        }
    }

    @Nested
    @DisplayName("On the stub driver: database-independent rules and injected failures")
    class OnStub {
        @Nested
        @DisplayName("Sizing & overflow")
        class Sizing extends SizingRules {
            Sizing() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Timeout")
        class Timeout extends TimeoutRules {
            Timeout() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Waiters served when an invalidation frees a slot")
        class Waiters extends WaiterRules {
            Waiters() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Failed connects: the asker gets the error, a waiter the slot")
        class FailedConnectWaiters extends StubWaiterRules {
            FailedConnectWaiters() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Recycle")
        class Recycle extends RecycleRules {
            Recycle() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Pre-ping")
        class PrePing extends StubPrePingRules {
            PrePing() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Failed and hanging connects")
        class ConnectFailures extends ConnectFailureRules {
            ConnectFailures() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Reset on return")
        class Reset extends StubResetRules {
            Reset() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Status and events")
        class StatusAndEvents extends StatusEventRules {
            StatusAndEvents() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Events and meters of a scripted workload")
        class Events extends EventRules {
            Events() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Dispose and close")
        class Dispose extends StubDisposeRules {
            Dispose() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Concurrency")
        class Concurrency extends ConcurrencyRules {
            Concurrency() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }

        @Nested
        @DisplayName("Returned handles and connections the borrower closed")
        class Handles extends HandleRules {
            Handles() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Extreme settings")
        class Limits extends LimitRules {
            Limits() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Reuse order (useLifo)")
        class Lifo extends LifoRules {
            Lifo() {
                super(PoolBackendContract.this);
            }
        }

        @Nested
        @DisplayName("Leaked connections and sessions")
        class Leaks extends LeakRules {
            Leaks() {
                super(PoolBackendContract.this, Target.STUB);
            }
        }
    }

    @Nested
    @DisplayName("On H2")
    class OnH2 extends OnDatabase {
        OnH2() {
            super(PoolBackendContract.this, Target.H2);
        }
    }

    @Nested
    @DisplayName("On PostgreSQL")
    class OnPostgresql extends OnDatabase {
        OnPostgresql() {
            super(PoolBackendContract.this, Target.POSTGRESQL);
        }
    }

    @Nested
    @DisplayName("On MariaDB")
    class OnMariadb extends OnDatabase {
        OnMariadb() {
            super(PoolBackendContract.this, Target.MARIADB);
        }
    }
}
