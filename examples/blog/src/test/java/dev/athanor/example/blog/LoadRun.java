package dev.athanor.example.blog;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.example.blog.Http.Reply;
import dev.athanor.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The load: {@code requests} mixed requests from {@code clients} concurrent clients — 30 % users created with a first
 * post (both databases), 20 % posts, 40 % reads (a user, a user's posts, health) and 10 % users whose first post the
 * blogs table refuses (by design: 400, nothing kept) — while a sampler thread records, every few milliseconds, the
 * connections each pool has open and, on a server, the server's own count of connections to that database.
 */
final class LoadRun {
    /** What one request was and what came back. */
    record Outcome(int ticket, String kind, int status, long id) {
    }

    final List<Outcome> outcomes = new ArrayList<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> maxPoolOpen = Map.of("users", new AtomicInteger(), "blogs", new AtomicInteger());
    final Map<String, AtomicInteger> maxServer = Map.of("users", new AtomicInteger(-1), "blogs", new AtomicInteger(-1));
    final AtomicInteger samples = new AtomicInteger();

    void run(Deployment d, Http http, int requests, int clients, List<Long> seedUsers) throws Exception {
        List<Connection> admin = new ArrayList<>();
        List<Engine> adminEngines = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sampler"));
        try {
            IntSupplier users = serverCount(d.usersDb, d.usersName, admin, adminEngines);
            IntSupplier blogs = serverCount(d.blogsDb, d.blogsName, admin, adminEngines);
            sampler.scheduleAtFixedRate(() -> {
                max(maxPoolOpen.get("users"), d.users().status().open());
                max(maxPoolOpen.get("blogs"), d.blogs().status().open());
                max(maxServer.get("users"), users.getAsInt());
                max(maxServer.get("blogs"), blogs.getAsInt());
                samples.incrementAndGet();
            }, 0, 5, TimeUnit.MILLISECONDS);

            AtomicInteger tickets = new AtomicInteger();
            Queue<Outcome> results = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    futures.add(pool.submit(() -> {
                        for (int t = tickets.getAndIncrement(); t < requests; t = tickets.getAndIncrement()) {
                            results.add(one(http, t, seedUsers.get(t % seedUsers.size())));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(150, TimeUnit.SECONDS);   // bounded: a hung request fails the test instead of the build
                }
            } finally {
                pool.shutdownNow();
            }
            outcomes.addAll(results);
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            admin.forEach(Connection::close);
            adminEngines.forEach(Engine::close);
        }
    }

    private Outcome one(Http http, int t, long seedUser) throws Exception {
        int slot = t % 10;
        Reply r;
        String kind;
        int expected;
        if (slot == 0) {
            kind = "refused";
            expected = 400;
            r = http.post("/users", Map.of("name", "f" + t, "email", "fail-" + t + "@example.com",
                    "firstPost", Map.of("title", "x".repeat(201), "body", "fail-" + t)));
        } else if (slot <= 3) {
            kind = "user";
            expected = 201;
            r = http.post("/users", Map.of("name", "u" + t, "email", "load-" + t + "@example.com",
                    "firstPost", Map.of("title", "first-" + t, "body", "b")));
        } else if (slot <= 5) {
            kind = "post";
            expected = 201;
            r = http.post("/users/" + seedUser + "/posts", Map.of("title", "load-" + t, "body", "b"));
        } else if (slot <= 7) {
            kind = "read-user";
            expected = 200;
            r = http.get("/users/" + seedUser);
        } else if (slot == 8) {
            kind = "read-posts";
            expected = 200;
            r = http.get("/users/" + seedUser + "/posts");
        } else {
            kind = "health";
            expected = 200;
            r = http.get("/health");
        }
        if (r.status() != expected) {
            unexpected.add("request " + t + " (" + kind + "): expected " + expected + ", got " + r.status() + " "
                    + r.text());
        }
        long id = expected == 201 && r.json() != null && r.json().has("id") ? r.json().get("id").asLong() : -1;
        return new Outcome(t, kind, r.status(), id);
    }

    private static void max(AtomicInteger max, int value) {
        max.accumulateAndGet(value, Math::max);
    }

    /**
     * Counts the server's connections to {@code database} over a connection of its own; -1 on H2. A connection the
     * client has just closed can still be listed by the server for a moment (its server thread is ending) while the
     * pool has already opened its replacement, so each sample is the smaller of two counts taken one after the
     * other: a connection counts when it is still there on the second look.
     */
    private static IntSupplier serverCount(TestDatabase db, String database, List<Connection> admin,
                                           List<Engine> engines) {
        String sql = Deployment.serverConnectionsSql(db, database);
        if (sql == null) {
            return () -> -1;
        }
        Engine engine = Engine.builder(db.url()).pool("null").build();
        engines.add(engine);
        Connection c = engine.connect();
        admin.add(c);
        return () -> {
            int first = c.execute(sql).scalar(Integer.class);
            c.rollback();   // a fresh snapshot of the server's view each time
            int second = c.execute(sql).scalar(Integer.class);
            c.rollback();
            return Math.min(first, second);
        };
    }
}
