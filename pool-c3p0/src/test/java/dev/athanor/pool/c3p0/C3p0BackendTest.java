package dev.athanor.pool.c3p0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mchange.v2.c3p0.PooledDataSource;
import com.mchange.v2.c3p0.WrapperConnectionPoolDataSource;

import dev.athanor.ConfigurationException;
import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.InvalidationReason;
import dev.athanor.PoolListener;
import dev.athanor.Url;
import dev.athanor.testing.stub.StubDatabase;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a user of the c3p0 backend sees: its backend properties, and that c3p0 never refills behind the engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class C3p0BackendTest {
    private static final Duration QUIET = Duration.ofMillis(400);
    private final StubDatabase db = StubDatabase.fresh();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private Engine engine(int poolSize, int maxOverflow) {
        Engine e = Engine.builder(db.url()).pool("c3p0").poolName("c3p0-" + db.name()).poolSize(poolSize)
                .maxOverflow(maxOverflow).poolTimeout(Duration.ofSeconds(10)).build();
        engines.add(e);
        return e;
    }

    @Test
    void aConnectionTheDriverReportsClosedIsHandedToTheEngineWhosePrePingReplacesItWithItsEvent() throws Exception {
        Url url = Url.parse("h2:mem:c3p0_closed_" + db.name().replace('-', '_'));
        Engine e = Engine.builder(url.toString()).pool("c3p0").poolName("c3p0-closed").poolPrePing(true).build();
        engines.add(e);
        List<InvalidationReason> reasons = new CopyOnWriteArrayList<>();
        e.addListener(new PoolListener() {
            @Override
            public void onInvalidate(java.sql.Connection pooled, Throwable cause, InvalidationReason reason) {
                reasons.add(reason);
            }
        });
        long session;
        try (Connection c = e.connect()) {
            session = c.execute("SELECT SESSION_ID()").scalar(Long.class);
        }
        try (java.sql.Connection admin = DriverManager.getConnection(url.jdbcUrl(), url.driverProperties());
             java.sql.Statement st = admin.createStatement()) {
            st.execute("SELECT ABORT_SESSION(" + session + ")"); // H2's connection now reports isClosed()
        }

        e.connect().close();

        assertThat(reasons).as("the engine's pre-ping found it, as on every backend").containsExactly(
                InvalidationReason.PRE_PING);
    }

    @Test
    void anUnknownPropertyIsRefusedListingTheAcceptedOnes() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("leakDetectionThreshold", "5")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("backend 'c3p0' has no backendProperty 'leakDetectionThreshold'; accepted: ")
                .hasMessageContaining("maxStatements");
    }

    @Test
    void aPropertyTheEngineOwnsIsRefusedNamingTheOptionToUse() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("maxPoolSize", "20")
                .backendProperty("checkoutTimeout", "1000").backendProperty("autoCommitOnClose", "true")
                .backendProperty("maxIdleTime", "60").backendProperty("acquireRetryAttempts", "30").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'maxPoolSize' is set by Athanor for pool 'c3p0'; use poolSize / maxOverflow")
                .hasMessageContaining("'checkoutTimeout' is set by Athanor for pool 'c3p0'; use poolTimeout")
                .hasMessageContaining("'autoCommitOnClose' is set by Athanor for pool 'c3p0'; use resetOnReturn")
                .hasMessageContaining("'maxIdleTime' is set by Athanor for pool 'c3p0'; use poolRecycle / poolPrePing")
                .hasMessageContaining("'acquireRetryAttempts' is set by Athanor for pool 'c3p0'; use connectArg(...)");
    }

    @Test
    void badValuesAreRefusedAtBuild() {
        assertThatThrownBy(() -> Engine.builder(db.url()).pool("c3p0").backendProperty("maxStatements", "many")
                .backendProperty("numHelperThreads", "0")
                .backendProperty("privilegeSpawnedThreads", "yes")
                .backendProperty("markSessionBoundaries", "sometimes")
                .backendProperty("connectionCustomizerClassName", "no.such.Customizer").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'maxStatements' must be an integer >= 0, was 'many'")
                .hasMessageContaining("'numHelperThreads' must be an integer >= 1, was '0'")
                .hasMessageContaining("'privilegeSpawnedThreads' must be true or false, was 'yes'")
                .hasMessageContaining("'markSessionBoundaries' must be one of [always, never, if-no-statement-cache]")
                .hasMessageContaining("'connectionCustomizerClassName' must name a class on the classpath");
        assertThat(db.connectAttempts()).isZero();
    }

    @Test
    void acceptedValuesReachC3p0() throws Exception {
        Engine e = Engine.builder(db.url()).pool("c3p0").backendProperty("maxStatements", " 50 ")
                .backendProperty("numHelperThreads", "2").backendProperty("markSessionBoundaries", "ALWAYS")
                .backendProperty("unreturnedConnectionTimeout", "3600").build();
        engines.add(e);
        WrapperConnectionPoolDataSource settings = e.unwrap(WrapperConnectionPoolDataSource.class);
        assertThat(settings.getMaxStatements()).isEqualTo(50);
        assertThat(settings.getMarkSessionBoundaries()).isEqualTo("always");
        assertThat(settings.getUnreturnedConnectionTimeout()).isEqualTo(3600);
        assertThat(e.unwrap(PooledDataSource.class).getNumHelperThreads()).isEqualTo(2);
        assertThat(settings.getMaxPoolSize()).as("poolSize 5 + maxOverflow 10 (the defaults)").isEqualTo(15);
    }

    /** c3p0 wants its two connections back after a dispose: the gate refuses without reaching the database. */
    @Test
    void disposeClosesIdleConnectionsAndC3p0DoesNotReopenThem() {
        Engine e = engine(2, 0);
        try (Connection a = e.connect(); Connection b = e.connect()) {
            a.execute("SELECT 1").scalar();
        }
        assertThat(db.openNow()).isEqualTo(2);
        e.dispose();
        assertThat(eventually(() -> db.openNow() == 0)).as("idle connections closed by dispose").isTrue();
        assertThat(holds(() -> db.connectAttempts() == 2)).as("connects after dispose, with nobody waiting")
                .isTrue();
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(db.connectAttempts()).as("the next checkout opens exactly one").isEqualTo(3);
        assertThat(holds(() -> db.openNow() == 1)).isTrue();
    }

    /** Overflow connections the engine closes on return are not reopened by c3p0 to its former size. */
    @Test
    void overflowClosedOnReturnIsNotReopened() {
        Engine e = engine(1, 2);
        List<Connection> held = List.of(e.connect(), e.connect(), e.connect());
        held.forEach(Connection::close);
        assertThat(db.openNow()).as("poolSize 1 kept").isEqualTo(1);
        assertThat(holds(() -> db.connectAttempts() == 3 && db.openNow() == 1)).isTrue();
        assertThat(e.status().checkedIn()).isEqualTo(1);
    }

    /**
     * A connect begun for a waiting checkout lands after a returned connection served that checkout: kept by c3p0 it
     * would be open and idle without the engine counting it, so it is closed.
     */
    @Test
    void aConnectionOpenedForACheckoutServedOtherwiseIsClosed() throws Exception {
        Engine e = engine(1, 1);
        Connection first = e.connect();
        db.hangConnects();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<Object> second = waiter.submit(() -> {
                try (Connection c = e.connect()) {
                    return c.execute("SELECT 1").scalar();
                }
            });
            assertThat(db.awaitHangingConnect(Duration.ofSeconds(5))).as("c3p0 connects for the waiter").isTrue();
            first.close();
            assertThat(second.get(5, TimeUnit.SECONDS)).as("served by the returned connection").isNotNull();
            db.releaseHangingConnects();
            assertThat(eventually(() -> db.opened() == 2)).as("the hanging connect lands").isTrue();
        } finally {
            db.releaseHangingConnects();
            waiter.shutdownNow();
        }
        assertThat(e.status().checkedIn()).isEqualTo(1);
        assertThat(eventually(() -> db.openNow() == 1)).as("open on the database: %d", db.openNow()).isTrue();
        assertThat(holds(() -> db.openNow() == 1)).isTrue();
        e.useConnection(c -> c.execute("SELECT 1").scalar());
        assertThat(db.opened()).as("the kept connection serves the next checkout").isEqualTo(2);
    }

    private static boolean eventually(BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            sleep();
        }
        return true;
    }

    /** True when the condition holds throughout a quiet period: c3p0's refills would land within it. */
    private static boolean holds(BooleanSupplier condition) {
        long end = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            sleep();
        }
        return condition.getAsBoolean();
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
