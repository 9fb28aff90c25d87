package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.PoolListener;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Base of the session rule groups: the backend under test, the database a rule runs on (a fresh H2 database, or
 * the shared server with unique table names), engines on the backend with a small pool whose connects, closes and
 * checkouts are counted, and tables dropped when the rule ends. Closing the engines at the end must close every
 * physical connection they opened.
 */
@Timeout(60)
abstract class SessionRuleGroup {
    /** The pool the rules' engines get, where the backend supports the knobs. */
    static final int POOL_SIZE = 2;
    static final int MAX_OVERFLOW = 2;
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(5);

    private final SessionContract contract;
    private final Target target;
    private final Map<Engine, Counts> engines = new IdentityHashMap<>();
    private final List<Runnable> drops = new ArrayList<>();
    private String url;

    /** What one engine's listener saw. */
    static final class Counts implements PoolListener {
        final AtomicInteger connects = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger checkouts = new AtomicInteger();

        @Override
        public void onConnect(java.sql.Connection physical) {
            connects.incrementAndGet();
        }

        @Override
        public void onClose(java.sql.Connection physical) {
            closes.incrementAndGet();
        }

        @Override
        public void onCheckout(java.sql.Connection pooled) {
            checkouts.incrementAndGet();
        }

        @Override
        public String toString() {
            return connects + " connects, " + closes + " closes, " + checkouts + " checkouts";
        }
    }

    SessionRuleGroup(SessionContract contract, Target target) {
        this.contract = contract;
        this.target = target;
    }

    String backend() {
        return contract.providerName();
    }

    Target target() {
        return target;
    }

    TestDatabase database() {
        switch (target) {
            case H2:
                return TestDatabase.H2;
            case POSTGRESQL:
                return TestDatabase.POSTGRESQL;
            case MARIADB:
                return TestDatabase.MARIADB;
            default:
                throw new IllegalArgumentException("session rules run on real databases only, not " + target);
        }
    }

    @BeforeEach
    void openDatabase() {
        database().assumeAvailable();
        url = database().url();
    }

    @AfterEach
    void closeEngines() {
        RuntimeException first = null;
        for (int i = drops.size() - 1; i >= 0; i--) {
            try {
                drops.get(i).run();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        engines.keySet().forEach(Engine::close);
        if (first != null) {
            throw first;
        }
        // A backend may close on its own threads after close() returns (c3p0); it gets the kit's settle time.
        engines.forEach((e, counts) -> {
            KitTime.poll(() -> counts.closes.get() == counts.connects.get(), KitTime.SETTLE);
            assertThat(counts.closes.get()).as("physical connections closed within %s of closing engine %s (%s):"
                    + " every connection it opened", KitTime.show(KitTime.SETTLE), e.name(), counts)
                    .isEqualTo(counts.connects.get());
        });
    }

    // ---- engines

    private boolean supported(Knob knob) {
        return KitProviders.require(backend()).capabilities().get(knob).fidelity() != Fidelity.UNSUPPORTED;
    }

    /** An engine on the backend under test over {@code onUrl}, with the kit's small pool, then {@code config}. */
    Engine engine(String onUrl, UnaryOperator<EngineBuilder> config) {
        EngineBuilder b = Engine.builder(onUrl).pool(backend());
        if (supported(Knob.POOL_SIZE)) {
            b.poolSize(POOL_SIZE);
        }
        if (supported(Knob.MAX_OVERFLOW)) {
            b.maxOverflow(MAX_OVERFLOW);
        }
        if (supported(Knob.POOL_TIMEOUT)) {
            b.poolTimeout(KitTime.scaled(POOL_TIMEOUT));
        }
        Engine e = config.apply(b).build();
        Counts counts = new Counts();
        e.addListener(counts);
        engines.put(e, counts);
        return e;
    }

    /** A pool of exactly one connection, where the backend supports sizing (otherwise unchanged). */
    EngineBuilder oneConnection(EngineBuilder b) {
        if (supported(Knob.POOL_SIZE)) {
            b.poolSize(1);
        }
        if (supported(Knob.MAX_OVERFLOW)) {
            b.maxOverflow(0);
        }
        return b;
    }

    /** An engine on this rule's database. */
    Engine engine() {
        return engine(url, b -> b);
    }

    /** A second database for a second bind: another fresh H2 database, or the same server (other tables). */
    String otherUrl() {
        return target == Target.H2 ? database().url() : url;
    }

    Counts counts(Engine e) {
        return engines.get(e);
    }

    // ---- tables

    /** A table {@code (id, name)} with a unique name, created through {@code e} and dropped when the rule ends. */
    String table(Engine e, String prefix) {
        String name = TestDatabase.uniqueName(prefix);
        e.useTransaction(c -> c.execute("CREATE TABLE " + name + " (" + database().idColumn()
                + ", name VARCHAR(100))"));
        drops.add(() -> e.useTransaction(c -> c.execute("DROP TABLE " + name)));
        return name;
    }

    static long count(Engine e, String table) {
        return e.withConnection(c -> c.execute("SELECT COUNT(*) FROM " + table).scalar(Long.class));
    }

    static List<String> names(Engine e, String table) {
        return e.withConnection(c -> c.execute("SELECT name FROM " + table + " ORDER BY id").scalars(String.class));
    }
}
