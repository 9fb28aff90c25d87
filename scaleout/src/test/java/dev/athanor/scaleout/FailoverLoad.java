package dev.athanor.scaleout;

import dev.athanor.CommitInDoubtException;
import dev.athanor.DisconnectionException;
import dev.athanor.RetryPolicy;
import dev.athanor.SessionFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A few threads running small units of work (one INSERT of a new id, the port of the server that ran it) through a
 * {@link SessionFactory} with a {@link RetryPolicy} that retries disconnects, while a test breaks the servers. It
 * records which ids committed where and when, and every failure that reached a unit's caller.
 */
final class FailoverLoad implements AutoCloseable {
    /** Retries every disconnect before COMMIT (never one in doubt), a few times, with short waits. */
    static final RetryPolicy RETRY = RetryPolicy.on(t -> t instanceof DisconnectionException).maxAttempts(4)
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private final SessionFactory sessions;
    private final String table;
    private final String portQuery;
    private final ExecutorService threads;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile boolean stop;
    /** Committed id -> port of the server that committed it. */
    final Map<Integer, Integer> committed = new ConcurrentHashMap<>();
    final List<Integer> inDoubt = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Map<Integer, AtomicLong> firstCommitNanos = new ConcurrentHashMap<>();
    private final Map<Integer, CountDownLatch> commitsOn = new ConcurrentHashMap<>();

    FailoverLoad(SessionFactory sessions, String table, String portQuery, int threadCount) {
        this.sessions = sessions;
        this.table = table;
        this.portQuery = portQuery;
        this.threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            threads.submit(this::loop);
        }
    }

    private void loop() {
        while (!stop) {
            int id = ids.incrementAndGet();
            try {
                int port = sessions.inTransaction(RETRY, s -> {
                    attempts.incrementAndGet();
                    s.execute("INSERT INTO " + table + " (id) VALUES (?)", id);
                    return ((Number) s.execute(portQuery).scalar()).intValue();
                });
                long now = System.nanoTime();
                committed.put(id, port);
                firstCommitNanos.computeIfAbsent(port, p -> new AtomicLong(now));
                commitsOn.computeIfAbsent(port, p -> new CountDownLatch(20)).countDown();
            } catch (CommitInDoubtException e) {
                inDoubt.add(id);
                failures.add(e);
            } catch (Throwable e) {
                failures.add(e);
            }
        }
    }

    /** Waits (bounded) until 20 units have committed on the server listening on {@code port}. */
    boolean awaitCommitsOn(int port, Duration timeout) throws InterruptedException {
        return commitsOn.computeIfAbsent(port, p -> new CountDownLatch(20)).await(timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** {@link System#nanoTime()} of the first commit on {@code port}, or -1. */
    long firstCommitNanos(int port) {
        AtomicLong t = firstCommitNanos.get(port);
        return t == null ? -1 : t.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        threads.shutdown();
        if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            throw new AssertionError("the load threads did not stop within 60 s");
        }
    }
}
