package dev.athanor.bench;

import dev.athanor.Engine;
import dev.athanor.IsolationLevel;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A plain timed loop: {@code clients} threads each run the script as one {@link Session} unit after another,
 * through a {@link SessionFactory} over an engine on one backend; after every client's first unit and then the
 * warm-up, units completed are counted
 * per second and each one's latency recorded (from opening the session to its close, the wait for a connection
 * included). Why not JMH here: a client count of 1 to 256 on platform or virtual threads, and pgbench measured the
 * same way next to it, fit a loop of a few dozen lines better than JMH's fixed thread groups; forks, interleaving and
 * intervals are done by {@link WorkloadCompare} as for the JMH runs.
 */
final class WorkloadLoop {
    /**
     * One configuration of the loop.
     *
     * @param backend  the pool backend
     * @param poolSize connections of the engine (maxOverflow 0, no pre-ping)
     * @param clients  concurrent clients
     * @param virtual  virtual threads instead of platform threads
     * @param warmup   seconds before measuring
     * @param seconds  measured seconds
     * @param scale    the script's {@code :scale}
     * @param isolation the engine's isolation level (null: the database's default)
     */
    record Config(String backend, int poolSize, int clients, boolean virtual, int warmup, int seconds, int scale,
                  IsolationLevel isolation) {
    }

    private WorkloadLoop() {
    }

    /** Runs {@code script} on {@code url} as {@code cfg} says; the tables must exist. */
    static RunSample run(String url, WorkloadScript script, Config cfg) throws InterruptedException {
        ThreadFactory threads = cfg.virtual() ? virtualThreads() : r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
        try (Engine engine = Backends.engine(cfg.backend(), url, PoolConfig.of(cfg.poolSize(), 0, false),
                cfg.isolation())) {
            SessionFactory sessions = SessionFactory.builder().bind(engine).build();
            LongAdder done = new LongAdder();
            LongAdder errors = new LongAdder();
            AtomicReference<String> firstError = new AtomicReference<>("");
            Flags flags = new Flags();
            CountDownLatch started = new CountDownLatch(cfg.clients());
            List<Thread> clients = new ArrayList<>();
            List<LatencyHistogram> histograms = new ArrayList<>();
            for (int c = 0; c < cfg.clients(); c++) {
                LatencyHistogram h = new LatencyHistogram();
                histograms.add(h);
                long[] vars = script.variables(cfg.scale(), c);
                Thread t = threads.newThread(() -> {
                    boolean first = true;
                    while (flags.running) {
                        long start = System.nanoTime();
                        String failure = unit(sessions, script, vars);
                        if (first) {
                            started.countDown();
                            first = false;
                        }
                        if (!flags.measuring) {
                            continue;
                        }
                        if (failure == null) {
                            h.recordNanos(System.nanoTime() - start);
                            done.increment();
                        } else {
                            errors.increment();
                            firstError.compareAndSet("", failure);
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            double[] perSecond = new double[cfg.seconds()];
            try {
                // the warm-up counts from every client's first unit: connecting and loading classes are not warm-up
                started.await(60, TimeUnit.SECONDS);
                TimeUnit.SECONDS.sleep(cfg.warmup());
                flags.measuring = true;
                long mark = System.nanoTime();
                long before = done.sum();
                long begin = mark;
                for (int i = 0; i < perSecond.length; i++) {
                    long until = begin + TimeUnit.SECONDS.toNanos(i + 1);
                    TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
                    long now = System.nanoTime();
                    long count = done.sum();
                    perSecond[i] = (count - before) * 1e9 / (now - mark);
                    before = count;
                    mark = now;
                }
                flags.measuring = false;
            } finally {
                flags.running = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (Thread t : clients) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
            LatencyHistogram all = new LatencyHistogram();
            histograms.forEach(all::add);
            return new RunSample(perSecond, errors.sum(), firstError.get(), all);
        }
    }

    /** One unit of work in its own session; null when it committed, else why it failed. */
    private static String unit(SessionFactory sessions, WorkloadScript script, long[] vars) {
        try (Session s = sessions.openSession()) {
            script.run(s, vars);
            return null;
        } catch (RuntimeException e) {
            return Compare.rootMessage(e);
        }
    }

    /** What the clients read on every unit. */
    private static final class Flags {
        volatile boolean running = true;
        volatile boolean measuring;
    }

    /** {@code Thread.ofVirtual().factory()}, found at run time: this module compiles for Java 17. */
    static ThreadFactory virtualThreads() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("--virtual needs JDK 21 or later (virtual threads); this JVM is "
                    + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        }
    }
}
