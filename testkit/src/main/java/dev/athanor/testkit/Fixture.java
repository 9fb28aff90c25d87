package dev.athanor.testkit;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.testing.TestDatabase;
import dev.athanor.testing.stub.StubDatabase;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * What one rule works with: a database of its own (a fresh stub database, a fresh H2 database, or a unique
 * application name / connection ids on a shared server), engines built by provider name through the normal engine
 * builder, the engine's and the server's view of their connections, and threads for checkouts that block. Closing
 * it returns what the rule still holds, closes the engines and fails when a physical connection is left open.
 */
final class Fixture implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String provider;
    private final Target target;
    private final String url;
    private final String name;
    private final StubDatabase stub;
    private final ServerView server;
    private final Map<Engine, Probe> engines = new IdentityHashMap<>();
    private final List<Connection> held = new ArrayList<>();
    private final List<Future<?>> tasks = new ArrayList<>();
    private final List<AutoCloseable> cleanups = new ArrayList<>();
    private final List<AutoCloseable> afterEngines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "athanor-testkit-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    Fixture(String provider, Target target) {
        this.provider = provider;
        this.target = target;
        this.name = TestDatabase.uniqueName("kit_" + provider.replaceAll("[^A-Za-z0-9]", ""));
        switch (target) {
            case STUB:
            case ANY:
                stub = StubDatabase.fresh();
                url = stub.url();
                server = ServerView.stub(stub);
                break;
            case H2:
                stub = null;
                url = TestDatabase.H2.url();
                server = ServerView.h2(url);
                break;
            case POSTGRESQL:
                stub = null;
                url = TestDatabase.POSTGRESQL.url();
                server = ServerView.postgresql(url, name);
                break;
            case MARIADB:
                stub = null;
                url = TestDatabase.MARIADB.url();
                server = ServerView.mariadb(url);
                break;
            default:
                throw new IllegalArgumentException(target.toString());
        }
    }

    Target target() {
        return target;
    }

    /** The stub database; only on the stub target. */
    StubDatabase stub() {
        if (stub == null) {
            throw new IllegalStateException("this rule needs the stub driver but runs on " + target.label());
        }
        return stub;
    }

    ServerView server() {
        return server;
    }

    /** A unique name for tables and the like. */
    String uniqueName(String prefix) {
        return TestDatabase.uniqueName(prefix);
    }

    /** An engine builder for the backend under test, by name, with a unique pool name. */
    EngineBuilder builder() {
        return builder(url);
    }

    private EngineBuilder builder(String engineUrl) {
        EngineBuilder b = Engine.builder(engineUrl).pool(provider).poolName(name + "_" + (engines.size() + 1));
        if (target == Target.POSTGRESQL) {
            b.connectArg("ApplicationName", name);
        }
        return b;
    }

    /** Builds an engine with {@code config} applied to {@link #builder()} and starts watching it. */
    Engine engine(UnaryOperator<EngineBuilder> config) {
        return watch(config.apply(builder()).build());
    }

    /**
     * Like {@link #engine}, on another URL of the rule's server (a database that does not exist, say); its
     * connections are not in {@link #server()}'s view.
     */
    Engine engineAt(String otherUrl, UnaryOperator<EngineBuilder> config) {
        return watch(config.apply(builder(otherUrl)).build());
    }

    private Engine watch(Engine engine) {
        Probe probe = new Probe(server::onPhysicalConnect);
        engine.addListener(probe);
        engines.put(engine, probe);
        return engine;
    }

    Probe probe(Engine engine) {
        Probe p = engines.get(engine);
        if (p == null) {
            throw new IllegalArgumentException("not an engine of this fixture: " + engine);
        }
        return p;
    }

    /** Checks out {@code n} connections and keeps them until the rule closes them (or the fixture does). */
    List<Connection> hold(Engine engine, int n) {
        List<Connection> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(hold(engine));
        }
        return list;
    }

    Connection hold(Engine engine) {
        Connection c = engine.connect();
        synchronized (held) {
            held.add(c);
        }
        return c;
    }

    /** Runs {@code task} on a kit thread; it is cancelled when the rule ends. */
    <T> Future<T> async(Callable<T> task) {
        Future<T> f = threads.submit(task);
        synchronized (tasks) {
            tasks.add(f);
        }
        return f;
    }

    /** Something to close when the rule ends, before the engines close (e.g. a hang of the stub's connects). */
    void onClose(AutoCloseable c) {
        cleanups.add(c);
    }

    /** Something to do once the engines are closed (dropping a table no connection may still lock). */
    void afterEnginesClose(AutoCloseable c) {
        afterEngines.add(c);
    }

    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        for (AutoCloseable c : cleanups) {
            closeQuietly(c, problems);
        }
        synchronized (tasks) {
            for (Future<?> f : tasks) {
                f.cancel(true);
            }
        }
        threads.shutdownNow();
        awaitThreads();
        List<Connection> stillHeld;
        synchronized (held) {
            stillHeld = new ArrayList<>(held);
        }
        for (Connection c : stillHeld) {
            closeQuietly(c, problems);
        }
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<Engine, Probe> e : engines.entrySet()) {
            e.getKey().close();
        }
        for (Map.Entry<Engine, Probe> e : engines.entrySet()) {
            Probe p = e.getValue();
            if (!KitTime.poll(() -> p.openNow() <= 0, KitTime.SETTLE)) {
                leaks.add(e.getKey().name() + ": " + p.openNow() + " physical connections still open after"
                        + " engine.close() (" + p.summary() + ")");
            }
        }
        for (AutoCloseable c : afterEngines) {
            closeQuietly(c, problems);
        }
        try {
            if (leaks.isEmpty() && !KitTime.poll(() -> server.open() == 0, KitTime.SETTLE)) {
                leaks.add(server.open() + " connections still open on the database after engine.close() ("
                        + server.describe() + ")");
            }
        } finally {
            closeQuietly(server, problems);
        }
        if (!leaks.isEmpty()) {
            AssertionError error = new AssertionError("connection leak: " + String.join("; ", leaks)
                    + ". A store must close (never drop) what discard() is given, every idle connection in dispose()"
                    + " and close(), the borrowed ones too in close(), and a connection keep() gets after close():"
                    + " check PoolBackend.discard(), dispose(), close() and keep()");
            problems.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void awaitThreads() {
        try {
            threads.awaitTermination(KitTime.SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c, List<Throwable> problems) {
        try {
            c.close();
        } catch (Exception | AssertionError e) {
            problems.add(e);
        }
    }
}
