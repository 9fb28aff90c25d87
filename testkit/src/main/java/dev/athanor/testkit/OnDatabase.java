package dev.athanor.testkit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The rule groups that run on each real database; {@link PoolBackendContract} has one subclass per database. */
abstract class OnDatabase {
    private final PoolBackendContract contract;
    private final Target target;

    OnDatabase(PoolBackendContract contract, Target target) {
        this.contract = contract;
        this.target = target;
    }

    @Nested
    @DisplayName("Sizing & overflow")
    class Sizing extends SizingRules {
        Sizing() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Waiters served when an invalidation frees a slot")
    class Waiters extends WaiterRules {
        Waiters() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Recycle")
    class Recycle extends RecycleRules {
        Recycle() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Pre-ping against killed connections")
    class PrePing extends PrePingRules {
        PrePing() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Reset on return")
    class Reset extends ResetRules {
        Reset() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Events and meters of a scripted workload")
    class Events extends EventRules {
        Events() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Dispose and close")
    class Dispose extends DisposeRules {
        Dispose() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Concurrency")
    class Concurrency extends ConcurrencyRules {
        Concurrency() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("Leaked connections and sessions")
    class Leaks extends LeakRules {
        Leaks() {
            super(contract, target);
        }
    }
}
