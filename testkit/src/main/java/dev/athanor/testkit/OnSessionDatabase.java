package dev.athanor.testkit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The session rule groups that run on each real database; {@link SessionContract} has one subclass per database. */
abstract class OnSessionDatabase {
    private final SessionContract contract;
    private final Target target;

    OnSessionDatabase(SessionContract contract, Target target) {
        this.contract = contract;
        this.target = target;
    }

    @Nested
    @DisplayName("Session and SessionFactory")
    class Sessions extends SessionRules {
        Sessions() {
            super(contract, target);
        }
    }

    @Nested
    @DisplayName("ScopedSession")
    class Scopes extends ScopeRules {
        Scopes() {
            super(contract, target);
        }
    }
}
