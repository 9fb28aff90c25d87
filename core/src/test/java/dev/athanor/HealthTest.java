package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@code engine.ping()}: up, down and hanging databases, always bounded, never throwing, never a password. */
class HealthTest {
    @Test
    void aReachableDatabaseIsUpWithItsLatency() {
        try (Engine e = Engine.builder("h2:mem:health_up").poolName("main").build()) {
            Health h = e.ping(Duration.ofSeconds(5));
            assertThat(h.isUp()).isTrue();
            assertThat(h.status()).isEqualTo(Health.Status.UP);
            assertThat(h.engineName()).isEqualTo("main");
            assertThat(h.latency()).isPositive();
            assertThat(h.errorType()).isNull();
            assertThat(h.toString()).startsWith("Health[main: UP in ");
            assertThat(e.status().checkedOut()).isZero();
        }
    }

    @Test
    void aClosedPortIsDownWithTheErrorClassAndSqlStateAndNoPassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Engine e = Engine.builder("postgresql://app:pw-Sekr1t@127.0.0.1:" + port + "/test").poolName("pg")
                .build()) {
            Health h = e.ping(Duration.ofSeconds(10));
            assertThat(h.isUp()).isFalse();
            assertThat(h.errorType()).isEqualTo(DisconnectionException.class.getName());
            assertThat(h.sqlState()).isEqualTo("08001");
            assertThat(h.message()).contains("[pg] could not connect to").doesNotContain("Sekr1t");
            assertThat(h.toString()).contains("DOWN after").contains("(SQLState 08001)").doesNotContain("Sekr1t");
            assertThat(e.status().checkedOut()).isZero();
        }
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersIsDownAfterTheTimeoutAndHoldsOneProbeOnly() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never answer
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            try (Engine e = Engine.builder("postgresql://app:pw-Sekr1t@127.0.0.1:" + silent.getLocalPort() + "/test")
                    .build()) {
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    Health h = e.ping(Duration.ofMillis(300));
                    long tookMillis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(h.isUp()).isFalse();
                    assertThat(h.errorType()).isEqualTo(TimeoutException.class.getName());
                    assertThat(h.message()).contains("no answer within PT0.3S");
                    assertThat(tookMillis).as("bounded by the timeout").isBetween(250L, 5_000L);
                }
                // Three pings, one probe: the later ones waited for the hanging one instead of starting their own.
                assertThat(accepted).hasSize(1);
            } finally {
                for (Socket s : accepted) {
                    s.close(); // ends the hanging connect: the probe thread finishes
                }
            }
        }
    }

    @Test
    void theTimeoutMustBePositive() {
        try (Engine e = Engine.builder("h2:mem:health_bad").build()) {
            assertThatThrownBy(() -> e.ping(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be positive, was PT0S");
        }
    }
}
