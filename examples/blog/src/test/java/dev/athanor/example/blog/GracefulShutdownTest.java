package dev.athanor.example.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with a request in flight: the example, as a child process on file-backed H2, is sent SIGTERM
 * ({@code ProcessHandle.destroy()}) while a slow request runs; the request completes with 200, its unit of work is
 * committed, and the engines are closed after it, before the process exits.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRequestInFlightFinishAndCommitThenClosesTheEngines() throws Exception {
        // DB_CLOSE_ON_EXIT=FALSE: otherwise H2's own shutdown hook closes the database under the request in flight.
        String usersUrl = "h2:file:" + dir.resolve("users").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",   // the application's logging, not the tests'
                "-cp", System.getProperty("java.class.path"), SlowApplication.class.getName());
        pb.environment().put("PORT", "0");
        pb.environment().put("USERS_DATABASE_URL", usersUrl);
        pb.environment().put("BLOGS_DATABASE_URL", "h2:file:" + dir.resolve("blogs").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "child-output");
        reader.start();
        try {
            int port = Integer.parseInt(awaitLine(lines, "PORT ", output).substring("PORT ".length()).strip());
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/slow?ms=1500&email=slow@example.com"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            awaitLine(lines, "SLOW-STARTED", output);

            // SIGTERM; through the handle, because Process.destroy() also closes the pipes this test reads.
            assertThat(process.toHandle().destroy()).isTrue();

            HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"slow\":\"done\"}");
            assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("the process exited").isTrue();
            reader.join(5_000);
            assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
            int finished = indexOf(output, "SLOW-FINISHED");
            int closed = indexOf(output, "engines closed");
            assertThat(finished).as("the slow request finished; output:%n%s", String.join("\n", output))
                    .isNotNegative();
            assertThat(closed).as("engines closed after the request; output:%n%s", String.join("\n", output))
                    .isGreaterThan(finished);
            assertThat(output).anyMatch(l -> l.contains("[users] closed hikari pool"))
                    .anyMatch(l -> l.contains("[blogs] closed hikari pool"));
        } finally {
            process.destroyForcibly();
        }
        try (Engine users = Engine.builder(usersUrl).pool("null").build()) {
            long committed = users.withConnection(c -> c.execute(
                    "SELECT count(*) FROM users WHERE email = 'slow@example.com'").scalar(Long.class));
            assertThat(committed).as("the request's user, committed before the engines closed").isEqualTo(1);
        }
    }

    private static String awaitLine(LinkedBlockingQueue<String> lines, String prefix, List<String> output)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within 60 s; output:\n"
                + String.join("\n", output));
    }

    private static int indexOf(List<String> output, String text) {
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
