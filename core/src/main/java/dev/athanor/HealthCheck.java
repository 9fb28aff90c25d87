package dev.athanor;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Engine#ping}: runs the check on a probe thread so the caller waits at most its timeout, and keeps at most one
 * check per engine under way — a database that hangs holds one probe thread, not one per call.
 */
final class HealthCheck {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final class Probes {
        static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "athanor-health");
            t.setDaemon(true);
            return t;
        });
    }

    private final Engine engine;
    private final AtomicReference<CompletableFuture<Health>> running = new AtomicReference<>();

    HealthCheck(Engine engine) {
        this.engine = engine;
    }

    Health ping(Duration timeout) {
        long start = System.nanoTime();
        CompletableFuture<Health> probe = probe(timeout);
        try {
            return probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Health.down(engine.name(), System.nanoTime() - start, TimeoutException.class.getName(), null,
                    "[" + engine.name() + "] no answer within " + timeout + " (the check goes on in the background)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(engine.name(), System.nanoTime() - start, InterruptedException.class.getName(), null,
                    "[" + engine.name() + "] interrupted while waiting for the health check");
        } catch (ExecutionException e) {
            return down(System.nanoTime() - start, e.getCause()); // the probe catches everything; kept for safety
        }
    }

    /** The check under way, or a new one. */
    private CompletableFuture<Health> probe(Duration timeout) {
        while (true) {
            CompletableFuture<Health> current = running.get();
            if (current != null) {
                return current;
            }
            CompletableFuture<Health> mine = new CompletableFuture<>();
            if (running.compareAndSet(null, mine)) {
                Probes.PROBES.execute(() -> {
                    try {
                        mine.complete(check(timeout));
                    } catch (Throwable t) {
                        mine.complete(down(0, t));
                    } finally {
                        running.compareAndSet(mine, null);
                    }
                });
                return mine;
            }
        }
    }

    private Health check(Duration timeout) {
        long start = System.nanoTime();
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
        try (Connection c = engine.connect()) {
            if (c.physical().isValid(seconds)) {
                return Health.up(engine.name(), System.nanoTime() - start);
            }
            c.invalidate();
            return Health.down(engine.name(), System.nanoTime() - start, SQLException.class.getName(), null,
                    "[" + engine.name() + "] the connection did not answer its validity check within " + seconds
                            + " s");
        } catch (SQLException | RuntimeException e) {
            return down(System.nanoTime() - start, e);
        }
    }

    private Health down(long nanos, Throwable t) {
        String state = null;
        for (Throwable c = t; c != null && state == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException) {
                state = ((SQLException) c).getSQLState();
            }
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return Health.down(engine.name(), nanos, t.getClass().getName(), state, engine.secrets().scrub(message));
    }
}
