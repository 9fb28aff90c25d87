package dev.athanor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.PoolListener;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSource;
import dev.athanor.spi.ForwardingSession;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter alone, over real HTTP on Jetty, with H2 and HikariCP. */
class RequestSessionsTest {
    private static final AtomicInteger DB = new AtomicInteger();

    private Engine engine;
    private SessionFactory sessions;
    private final AtomicInteger checkouts = new AtomicInteger();
    private final ExecutorService appExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-executor"));
    private TestServer server;

    @BeforeEach
    void setUp() {
        engine = Engine.builder("h2:mem:web_filter_" + DB.incrementAndGet()).pool("hikari").poolSize(4).build();
        engine.addListener(new PoolListener() {
            @Override
            public void onCheckout(java.sql.Connection pooled) {
                checkouts.incrementAndGet();
            }
        });
        engine.useTransaction(c -> c.execute("CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, text VARCHAR(20))"));
        checkouts.set(0);
        sessions = SessionFactory.builder().bind(engine).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        appExecutor.shutdownNow();
        assertThat(engine.status().checkedOut()).as("connections checked out after the test").isZero();
        engine.close();
    }

    private long notes() {
        return engine.withConnection(c -> c.execute("SELECT count(*) FROM notes").scalar(Long.class));
    }

    private static HttpServlet servlet(Handler handler) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                handler.handle(req, resp);
            }
        };
    }

    private interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
    }

    private TestServer start(RequestSessions<?> requests, Map<String, HttpServlet> servlets) throws Exception {
        server = new TestServer(requests, servlets);
        return server;
    }

    /** Sessions whose commit always fails. */
    private SessionSource<Session> failingCommits() {
        return () -> new ForwardingSession(sessions.openSession()) {
            @Override
            public void commit() {
                throw new IllegalStateException("commit refused");
            }
        };
    }

    private static void insert(ScopedSession<?> db, String text) {
        db.execute("INSERT INTO notes(text) VALUES (:t)", Map.of("t", text));
    }

    @Test
    void aRequestThatNeverTouchesTheDatabaseChecksOutNothing() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        start(requests, Map.of("/plain", servlet((req, resp) -> resp.getWriter().print("hello"))));

        HttpResponse<String> r = server.get("/plain");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(checkouts).hasValue(0);
    }

    @Test
    void aHandlerThatCompletesCommitsAndTheSessionIsClosedBeforeTheResponse() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/write", servlet((req, resp) -> {
            insert(db, "a");
            insert(db, "b");
            resp.setStatus(201);
        })));

        assertThat(server.get("/write").statusCode()).isEqualTo(201);

        assertThat(notes()).isEqualTo(2);
        assertThat(checkouts).hasValue(2);   // one for the request, one for notes()
    }

    @Test
    void aHandlerThatThrowsRollsBack() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/fail", servlet((req, resp) -> {
            insert(db, "lost");
            throw new IllegalStateException("handler failed");
        })));

        assertThat(server.get("/fail").statusCode()).isEqualTo(500);

        assertThat(notes()).isZero();
    }

    @Test
    void a5xxResponseRollsBack() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/unavailable", servlet((req, resp) -> {
            insert(db, "lost");
            resp.setStatus(503);
        })));

        assertThat(server.get("/unavailable").statusCode()).isEqualTo(503);

        assertThat(notes()).isZero();
    }

    @Test
    void a4xxResponseCommitsByDefaultAndRollsBackFromStatus400WhenConfigured() throws Exception {
        RequestSessions<Session> commitOn4xx = RequestSessions.of(sessions);
        RequestSessions<Session> rollbackOn4xx = RequestSessions.builder(sessions).rollbackFromStatus(400).build();
        TestServer one = new TestServer(commitOn4xx, Map.of("/refuse", servlet((req, resp) -> {
            insert(commitOn4xx.db(), "kept");
            resp.setStatus(409);
        })));
        try (one; TestServer two = new TestServer(rollbackOn4xx, Map.of("/refuse", servlet((req, resp) -> {
            insert(rollbackOn4xx.db(), "dropped");
            resp.setStatus(409);
        })))) {
            assertThat(one.get("/refuse").statusCode()).isEqualTo(409);
            assertThat(two.get("/refuse").statusCode()).isEqualTo(409);
        }
        List<String> texts = engine.withConnection(c -> c.execute("SELECT text FROM notes").scalars(String.class));
        assertThat(texts).containsExactly("kept");
    }

    @Test
    void anAsyncRequestCompletedOnAnotherThreadSeesTheSameSessionAndCommits() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        start(requests, Map.of("/async", servlet((req, resp) -> {
            insert(db, "first");
            seen.add(db.current());
            threads.add(Thread.currentThread().getName());
            AsyncContext async = req.startAsync();
            appExecutor.execute(requests.propagate(() -> {
                insert(db, "second");
                seen.add(db.current());
                threads.add(Thread.currentThread().getName());
                async.getResponse().setContentType("text/plain");
                resp.setStatus(202);
                async.complete();
            }));
        })));

        assertThat(server.get("/async").statusCode()).isEqualTo(202);

        assertThat(threads).hasSize(2).element(1).isEqualTo("app-executor");
        assertThat(threads.get(0)).isNotEqualTo("app-executor");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).isSameAs(seen.get(0));
        assertThat(notes()).isEqualTo(2);
    }

    @Test
    void anAsyncContextStartRunsBoundToTheRequest() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/start", servlet((req, resp) -> {
            AsyncContext async = req.startAsync();
            async.start(() -> {
                insert(db, "started");
                async.complete();
            });
        })));

        assertThat(server.get("/start").statusCode()).isEqualTo(200);

        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void anAsyncRequestThatEndsIn500RollsBack() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/async-fail", servlet((req, resp) -> {
            AsyncContext async = req.startAsync();
            appExecutor.execute(requests.propagate(() -> {
                insert(db, "lost");
                resp.setStatus(500);
                async.complete();
            }));
        })));

        assertThat(server.get("/async-fail").statusCode()).isEqualTo(500);

        assertThat(notes()).isZero();
    }

    @Test
    void anAsyncRequestWhoseCommitFailsIsA500() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(failingCommits());
        start(requests, Map.of("/async-write", servlet((req, resp) -> {
            AsyncContext async = req.startAsync();
            appExecutor.execute(requests.propagate(() -> {
                insert(requests.db(), "never");
                try {
                    resp.getWriter().print("all good");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                async.complete();
            }));
        })));

        HttpResponse<String> r = server.get("/async-write");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("all good");
        assertThat(notes()).isZero();
    }

    @Test
    void aPooledThreadNeverCarriesASessionIntoTheNextRequest() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        ScopedSession<Session> db = requests.db();
        Map<String, Integer> requestsPerThread = new ConcurrentHashMap<>();
        Set<Object> sessionsSeen = ConcurrentHashMap.newKeySet();
        AtomicBoolean carried = new AtomicBoolean();
        start(requests, Map.of("/leave-it", servlet((req, resp) -> {
            requestsPerThread.merge(Thread.currentThread().getName(), 1, Integer::sum);
            if (db.has()) {
                carried.set(true);
            }
            insert(db, "x");
            sessionsSeen.add(db.current());
            // no remove(), no commit: the filter ends it
        })));

        for (int i = 0; i < 30; i++) {
            assertThat(server.get("/leave-it").statusCode()).isEqualTo(200);
        }

        assertThat(requestsPerThread.values()).as("some thread served several requests").anyMatch(n -> n > 1);
        assertThat(carried).isFalse();
        assertThat(sessionsSeen).hasSize(30);
        assertThat(notes()).isEqualTo(30);
    }

    @Test
    void aCommitThatFailsTurnsIntoA500AndNothingIsWritten() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(failingCommits());
        ScopedSession<Session> db = requests.db();
        start(requests, Map.of("/write", servlet((req, resp) -> {
            insert(db, "never");
            resp.setContentType("text/plain");
            resp.getWriter().print("all good");
        })));

        HttpResponse<String> r = server.get("/write");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("all good");
        assertThat(notes()).isZero();
    }

    @Test
    void aCommitThatFailsIsA500EvenWhenTheHandlerClosedTheStreamOrSetTheContentLength() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(failingCommits());
        byte[] body = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        start(requests, Map.of(
                "/closed", servlet((req, resp) -> {
                    insert(requests.db(), "never");
                    resp.getOutputStream().write(body);
                    resp.getOutputStream().close();       // what Jackson's writeValue(stream, ...) does
                }),
                "/closed-writer", servlet((req, resp) -> {
                    insert(requests.db(), "never");
                    resp.getWriter().print("ok");
                    resp.getWriter().close();
                }),
                "/sized", servlet((req, resp) -> {
                    insert(requests.db(), "never");
                    resp.setContentLength(body.length);   // the container completes the response at this length
                    resp.getOutputStream().write(body);
                })));

        for (String path : new String[] {"/closed", "/closed-writer", "/sized"}) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(500);
            assertThat(r.body()).as(path).doesNotContain("ok");
        }
        assertThat(notes()).isZero();
    }

    @Test
    void aClosedStreamAndAContentLengthGoOutOnceTheRequestCommitted() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(sessions);
        start(requests, Map.of("/sized", servlet((req, resp) -> {
            insert(requests.db(), "kept");
            resp.setContentLength(2);
            resp.getOutputStream().write("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            resp.getOutputStream().close();
        })));

        HttpResponse<String> r = server.get("/sized");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("2");
        assertThat(notes()).isEqualTo(1);
    }

    @Test
    void aCommitThatFailsAfterTheResponseWasFlushedAbortsItInsteadOfASilent200() throws Exception {
        RequestSessions<Session> requests = RequestSessions.of(failingCommits());
        start(requests, Map.of("/flushed", servlet((req, resp) -> {
            insert(requests.db(), "never");
            resp.getWriter().print("streaming");
            resp.flushBuffer();
        })));

        assertThatThrownBy(() -> server.get("/flushed")).isInstanceOf(IOException.class);
        assertThat(notes()).isZero();
    }

    @Test
    void theSessionIsUnreachableOutsideARequest() {
        RequestSessions<Session> requests = RequestSessions.of(sessions);

        assertThat(requests.inRequest()).isFalse();
        assertThatThrownBy(() -> requests.db().current()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no request is bound to thread").hasMessageContaining("propagate");
        assertThatThrownBy(() -> requests.propagate(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badOptionsAreReportedTogether() {
        assertThatThrownBy(() -> RequestSessions.builder(null).rollbackFromStatus(200).onCommitFailure(null).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid request sessions: source must not be null: give a SessionFactory or another"
                        + " SessionSource; rollbackFromStatus must be between 400 and 500, was 200;"
                        + " onCommitFailure must not be null");
    }
}
