package dev.athanor.testkit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session contract: Athanor's {@code Session}, {@code SessionFactory} and {@code ScopedSession} rules (SQLAlchemy's
 * autobegin, commit, rollback, savepoints, per-transaction isolation, several binds, scoped sessions on threads and
 * thread pools), each a test with a stable id ({@code SESS-n}, {@code SCOPE-n}), run over engines built on the
 * backend under test ({@code Engine.builder(url).pool(providerName())}, a small pool: poolSize 2, maxOverflow 2).
 * Extend it next to your {@link PoolBackendContract} test:
 *
 * <pre>{@code
 * class MyPoolSessionContractTest extends SessionContract {
 *     @Override
 *     protected String providerName() {
 *         return "mypool";
 *     }
 * }
 * }</pre>
 *
 * <p>The rules run on H2 always, and on PostgreSQL and MariaDB when reachable (required in CI; see
 * {@code TestDatabase}). A sizing knob the backend declares {@code UNSUPPORTED} is simply not set on the rules'
 * engines; a rule about such a knob would be skipped with the backend's reason, and there is no other way to opt
 * out: the rules are package-private. Failures name the rule, what was found and what to check. The session rules
 * are not part of the fidelity report (the README's table covers the pool rules only).
 */
@ExtendWith(SessionRuleExtension.class)
public abstract class SessionContract {

    /** The {@code PoolProvider.name()} of the backend under test, as users select it with {@code .pool(name)}. */
    protected abstract String providerName();

    @Nested
    @DisplayName("On H2")
    class OnH2 extends OnSessionDatabase {
        OnH2() {
            super(SessionContract.this, Target.H2);
        }
    }

    @Nested
    @DisplayName("On PostgreSQL")
    class OnPostgresql extends OnSessionDatabase {
        OnPostgresql() {
            super(SessionContract.this, Target.POSTGRESQL);
        }
    }

    @Nested
    @DisplayName("On MariaDB")
    class OnMariadb extends OnSessionDatabase {
        OnMariadb() {
            super(SessionContract.this, Target.MARIADB);
        }
    }
}
