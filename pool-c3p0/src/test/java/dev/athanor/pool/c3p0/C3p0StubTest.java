package dev.athanor.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Connection;
import dev.athanor.DisconnectionException;
import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.PoolTimeoutException;
import dev.athanor.internal.jdbc.PhysicalConnection;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;
import dev.athanor.testing.TimeScale;
import dev.athanor.testing.stub.StubConnection;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** c3p0 backend rules that need failure injection or exact connect counts: run on the stub JDBC driver. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class C3p0StubTest {
    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        db.releaseHangingConnects();
        engines.forEach(Engine::close);
    }

    private Engine engine(int poolSize, int maxOverflow) {
        Engine e = Engine.builder(db.url()).pool("c3p0").poolName("stub-" + db.name()).poolSize(poolSize)
                .maxOverflow(maxOverflow).poolTimeout(Duration.ofSeconds(5)).build();
        engines.add(e);
        return e;
    }

    private static String status(Engine e) {
        return e.status().toString();
    }

    @Test
    void everyKnobIsDeclaredAndTheProviderIsFoundByName() {
        Engine e = engine(1, 0);
        assertThat(e.backendName()).isEqualTo("c3p0");
        C3p0PoolProvider provider = new C3p0PoolProvider();
        assertThat(provider.priority()).isEqualTo(100);
        assertThat(provider.capabilities().undeclared()).isEmpty();
        for (Knob knob : Knob.values()) {
            assertThat(provider.capabilities().get(knob).fidelity()).as(knob.name()).isEqualTo(Fidelity.EXACT);
        }
    }

    @Test
    void failedConnectLeavesEveryCountAsItWasAndOpensNothingExtraLater() {
        Engine e = engine(2, 2);
        String before = status(e);
        db.failNextConnects(1);
        assertThatThrownBy(e::connect).isInstanceOf(DisconnectionException.class)
                .hasMessageContaining("stub: connection refused");
        assertThat(status(e)).isEqualTo(before);
        assertThat(db.connectAttempts()).as("c3p0 must not retry").isEqualTo(1);
        try (Connection c = e.connect()) {
            assertThat(e.status().checkedOut()).isEqualTo(1);
        }
        assertThat(db.opened()).as("c3p0 must not open an extra connection after the failure").isEqualTo(1);
        assertThat(db.openNow()).isEqualTo(1);
        assertThat(e.status().checkedIn()).isEqualTo(1);
    }

    @Test
    void connectionReturnedWhileAConnectHangsGoesToTheWaitingCheckoutAtOnce() throws Exception {
        Engine e = engine(1, 1);
        Connection first = e.connect();
        PhysicalConnection firstPhysical = first.jdbc().unwrap(PhysicalConnection.class);
        StubDatabase.Hang hang = db.hangConnects();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<PhysicalConnection> waiting = pool.submit(() -> {
                try (Connection c = e.connect()) {
                    return c.jdbc().unwrap(PhysicalConnection.class);
                }
            });
            assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).isTrue();
            first.close();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(firstPhysical);
            assertThat(hang.blockedNow()).isEqualTo(1);
            hang.close();
        } finally {
            pool.shutdownNow();
        }
        assertThat(e.status().checkedOut()).isZero();
    }

    @Test
    void checkoutOfAnIdleConnectionIsNotHeldUpByAConnectHangingOnAnotherThread() throws Exception {
        Engine e = engine(2, 2);
        Connection held = e.connect();
        e.connect().close(); // a second connection, now idle
        Connection idle = e.connect();
        StubDatabase.Hang hang = db.hangConnects();
        CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> e.connect().close());
        assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).isTrue();
        idle.close();
        long start = System.nanoTime();
        // The idle connection may go to the stuck checkout (c3p0 hands it to a waiter); either way one of the two
        // checkouts gets it without waiting for the hanging connect.
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> e.connect().close());
        CompletableFuture.anyOf(stuck, other).get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isLessThan(TimeScale.millis(2000).toNanos());
        hang.close();
        CompletableFuture.allOf(stuck, other).get(10, TimeUnit.SECONDS);
        held.close();
        assertThat(e.status().checkedOut()).isZero();
        assertThat(db.openNow()).isLessThanOrEqualTo(4);
    }

    @Test
    void hammeringAPoolOfTwoPlusTwoNeverOpensMoreThanFourAndCountsSettleAtZero() throws Exception {
        Engine e = engine(2, 2);
        int threads = 20;
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger badCounts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        try (Connection c = e.connect()) {
                            c.execute("SELECT 1").scalar();
                            if (i % 7 == 0) {
                                c.invalidate();
                            }
                        } catch (PoolTimeoutException ex) {
                            timeouts.incrementAndGet();
                        }
                        PoolStatus s = e.status();
                        if (s.checkedIn() < 0 || s.checkedOut() < 0 || s.open() > 4) {
                            badCounts.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(badCounts).hasValue(0);
        assertThat(timeouts).hasValue(0);
        assertThat(db.maxOpenSeen()).isLessThanOrEqualTo(4);
        assertThat(e.status().checkedOut()).isZero();
        assertThat(e.status().checkedIn()).isBetween(0, 2);
        assertThat(db.openNow()).isEqualTo(e.status().checkedIn());
    }

    @Test
    void closeStopsC3p0sThreadsAndClosesEveryConnection() throws InterruptedException, SQLException {
        Engine e = engine(2, 0);
        Connection borrowed = e.connect();
        StubConnection borrowedPhysical = borrowed.jdbc().unwrap(StubConnection.class);
        e.connect().close();
        assertThat(c3p0Threads(e.name())).isPositive();
        assertThat(c3p0MBeans()).as("no JMX registration").isEmpty();
        e.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((c3p0Threads(e.name()) > 0 || db.openNow() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(c3p0Threads(e.name())).isZero();
        assertThat(db.openNow()).isZero();
        // "Every connection" includes the one still borrowed: close() does not wait for it to come back.
        assertThat(borrowedPhysical.isClosed()).as("the connection still borrowed at close()").isTrue();
        assertThatThrownBy(() -> borrowed.execute("SELECT 1")).as("a statement on the connection closed under its"
                + " borrower").isInstanceOf(dev.athanor.StatementException.class);
        borrowed.close();
        assertThat(db.opened()).as("connections opened, after the borrower returned its closed one").isEqualTo(2);
    }

    private static java.util.Set<javax.management.ObjectName> c3p0MBeans() {
        try {
            return java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new javax.management.ObjectName("com.mchange.v2.c3p0:*"), null);
        } catch (javax.management.MalformedObjectNameException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static long c3p0Threads(String poolName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains("dataSourceName->" + poolName + "]")).count();
    }

    @Test
    void unknownBackendPropertyIsAnErrorListingTheAcceptedOnes() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("leakDetectionThreshold", "5")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("backend 'c3p0' has no backendProperty 'leakDetectionThreshold'")
                .hasMessageContaining("maxStatements");
    }

    @Test
    void propertyOwnedByAnAthanorOptionIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("maxPoolSize", "20")
                .backendProperty("checkoutTimeout", "1000").backendProperty("autoCommitOnClose", "true").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'maxPoolSize' is set by Athanor for pool 'c3p0'; use poolSize / maxOverflow")
                .hasMessageContaining("'checkoutTimeout' is set by Athanor for pool 'c3p0'; use poolTimeout")
                .hasMessageContaining("'autoCommitOnClose' is set by Athanor for pool 'c3p0'; use resetOnReturn");
    }

    @Test
    void badValuesAreRefusedAtBuild() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("maxStatements", "many")
                .backendProperty("markSessionBoundaries", "sometimes")
                .backendProperty("connectionCustomizerClassName", "no.such.Customizer").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'maxStatements' must be an integer >= 0, was 'many'")
                .hasMessageContaining("'markSessionBoundaries' must be one of [always, if-no-statement-cache, never]")
                .hasMessageContaining("'connectionCustomizerClassName' must name a class on the classpath");
    }

    @Test
    void noConnectionIsOpenedBeforeTheFirstCheckoutAndExactlyOneByIt() throws SQLException {
        Engine e = engine(5, 10);
        assertThat(db.connectAttempts()).isZero();
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(db.opened()).isEqualTo(1);
        try (Connection a = e.connect(); Connection b = e.connect()) {
            assertThat(a.jdbc().unwrap(PhysicalConnection.class)).isNotSameAs(b.jdbc().unwrap(PhysicalConnection.class));
        }
        assertThat(db.opened()).isEqualTo(2);
        assertThat(db.validations()).as("c3p0 must not test connections itself").isZero();
        assertThat(db.commits()).as("c3p0 must not switch auto-commit on (an implicit commit) on return").isZero();
    }
}
