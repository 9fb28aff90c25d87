package dev.athanor.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.VirtualThreads;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests on virtual threads, each resumed on another virtual thread: every request sees its own session on both,
 * none sees another's, and every unit of work commits. Tagged {@code virtual-threads}: it runs in the second test pass
 * on the newer JDK (on Java 17 there are no virtual threads, and it is skipped).
 */
@Tag("virtual-threads")
class RequestSessionsVirtualThreadTest {
    private static final int REQUESTS = 200;

    @Test
    @Timeout(120)
    void requestsOnVirtualThreadsResumedOnOthersKeepTheirOwnSession() throws Exception {
        Executor virtual = VirtualThreads.getDefaultVirtualThreadsExecutor();
        Assumptions.assumeTrue(virtual != null, "virtual threads need Java 21+; this JVM is "
                + Runtime.version());
        try (Engine engine = Engine.builder("h2:mem:web_vthreads").pool("hikari").poolSize(8).maxOverflow(0)
                .poolTimeout(Duration.ofSeconds(60)).build()) {
            engine.useTransaction(c -> c.execute("CREATE TABLE hits (req INT, step INT)"));
            RequestSessions<Session> requests = RequestSessions.of(SessionFactory.builder().bind(engine).build());
            ScopedSession<Session> db = requests.db();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            HttpServlet servlet = new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                    int n = Integer.parseInt(req.getParameter("n"));
                    if (!VirtualThreads.isVirtualThread()) {
                        problems.add(n + ": not on a virtual thread");
                    }
                    if (db.has()) {
                        problems.add(n + ": a session was already bound");
                    }
                    db.execute("INSERT INTO hits VALUES (:n, 1)", Map.of("n", n));
                    Session first = db.current();
                    AsyncContext async = req.startAsync();
                    virtual.execute(requests.propagate(() -> {
                        if (db.current() != first) {
                            problems.add(n + ": another session after resuming");
                        }
                        db.execute("INSERT INTO hits VALUES (:n, 2)", Map.of("n", n));
                        async.complete();
                    }));
                }
            };
            try (TestServer server = new TestServer(requests, Map.of("/hit", servlet), virtual)) {
                List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    replies.add(server.client().sendAsync(HttpRequest.newBuilder(server.uri("/hit?n=" + i))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> r : replies) {
                    assertThat(r.get(90, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }
            }
            assertThat(problems).isEmpty();
            long rows = engine.withConnection(c -> c.execute("SELECT count(*) FROM hits").scalar(Long.class));
            long requestsWithBoth = engine.withConnection(c -> c.execute(
                    "SELECT count(*) FROM (SELECT req FROM hits GROUP BY req HAVING count(*) = 2) t")
                    .scalar(Long.class));
            assertThat(rows).isEqualTo(2L * REQUESTS);
            assertThat(requestsWithBoth).isEqualTo(REQUESTS);
            assertThat(engine.status().checkedOut()).isZero();
        }
    }
}
