package dev.athanor.micrometer;

import dev.athanor.Engine;
import dev.athanor.PartialCommitException;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionListener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The meters of a {@link SessionFactory}: the pool meters ({@link AthanorMetrics}) of each engine it binds, and the
 * session meters, counted by a {@link SessionListener}. A factory's listeners are fixed when it is built, so this
 * makes a new factory — the same configuration plus the listener — and sessions must be opened from
 * {@link #sessions()} to be counted. {@link AthanorMetrics#bindTo(SessionFactory, MeterRegistry)} does it in one call.
 *
 * <pre>{@code
 * SessionMetrics metrics = new SessionMetrics(sessions);
 * metrics.bindTo(registry);
 * SessionFactory counted = metrics.sessions();
 * }</pre>
 *
 * <table>
 *   <caption>Session meters, tagged {@code athanor.session.factory} = {@link SessionFactory#name()}</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code athanor.session.retries}</td><td>counter</td><td>units of work run again under a
 *       {@link dev.athanor.RetryPolicy} after a failure it retries</td></tr>
 *   <tr><td>{@code athanor.session.partial_commits}</td><td>counter</td><td>commits over several binds that committed
 *       some of them and then failed: the binds are out of step</td></tr>
 * </table>
 */
public final class SessionMetrics implements MeterBinder, AutoCloseable {
    /** Units of work retried. */
    public static final String RETRIES = "athanor.session.retries";
    /** Partial commits. */
    public static final String PARTIAL_COMMITS = "athanor.session.partial_commits";
    /** The tag naming the session factory: {@link SessionFactory#name()}. */
    public static final String FACTORY = "athanor.session.factory";

    private final SessionFactory sessions;
    private final Tags tags;
    private final List<AthanorMetrics> engines = new ArrayList<>();
    private final Counting listener = new Counting();
    private final Map<MeterRegistry, Counters> bound = new IdentityHashMap<>();
    private boolean closed;

    /** The meters of {@code sessions} and of its engines. */
    public SessionMetrics(SessionFactory sessions) {
        this(sessions, Tags.empty());
    }

    /** The meters of {@code sessions} and of its engines, all tagged with {@code tags} as well. */
    public SessionMetrics(SessionFactory sessions, Iterable<Tag> tags) {
        Objects.requireNonNull(sessions, "sessions");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.sessions = sessions.toBuilder().listener(listener).build();
        // An engine bound under two names is measured once.
        Map<Engine, AthanorMetrics> distinct = new LinkedHashMap<>();
        for (String bind : sessions.bindNames()) {
            distinct.computeIfAbsent(sessions.engine(bind), e -> new AthanorMetrics(e, this.tags));
        }
        engines.addAll(distinct.values());
    }

    /**
     * {@link AthanorMetrics#histograms(boolean)} for every engine: the pool durations as Micrometer timers with a
     * percentile histogram. Set it before {@link #bindTo}.
     *
     * @throws IllegalStateException when already bound
     */
    public synchronized SessionMetrics histograms(boolean on) {
        for (AthanorMetrics e : engines) {
            e.histograms(on);
        }
        return this;
    }

    /** The factory to open sessions from: the original configuration plus the counting listener. */
    public SessionFactory sessions() {
        return sessions;
    }

    /** The pool meters of each engine the factory binds. */
    public List<AthanorMetrics> engines() {
        return List.copyOf(engines);
    }

    /** Registers the session meters and every engine's pool meters in {@code registry}. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("[" + sessions.name() + "] these metrics were closed; make new ones");
        }
        if (bound.containsKey(registry)) {
            return;
        }
        for (AthanorMetrics e : engines) {
            e.bindTo(registry);
        }
        Tags all = tags.and(FACTORY, sessions.name());
        Counters counters = new Counters(
                Counter.builder(RETRIES).tags(all).description("Units of work run again after a failure the retry"
                        + " policy retries").register(registry),
                Counter.builder(PARTIAL_COMMITS).tags(all).description("Commits over several binds that committed"
                        + " some of them and then failed").register(registry));
        bound.put(registry, counters);
        listener.add(counters);
    }

    /** Removes the session meters and the engines' pool meters from {@code registry}; false if it was not bound. */
    public synchronized boolean unbind(MeterRegistry registry) {
        Counters counters = bound.remove(registry);
        if (counters == null) {
            return false;
        }
        listener.remove(counters);
        registry.remove(counters.retries);
        registry.remove(counters.partialCommits);
        for (AthanorMetrics e : engines) {
            e.unbind(registry);
        }
        return true;
    }

    /** Unbinds from every registry. Idempotent; the factory of {@link #sessions()} stays usable, uncounted. */
    @Override
    public synchronized void close() {
        closed = true;
        for (MeterRegistry registry : List.copyOf(bound.keySet())) {
            unbind(registry);
        }
        for (AthanorMetrics e : engines) {
            e.close();
        }
    }

    @Override
    public String toString() {
        return "SessionMetrics[" + sessions.name() + "]";
    }

    /** One registry's session counters; compared by identity (meters compare by id, equal across registries). */
    private static final class Counters {
        final Counter retries;
        final Counter partialCommits;

        Counters(Counter retries, Counter partialCommits) {
            this.retries = retries;
            this.partialCommits = partialCommits;
        }
    }

    /** The factory's listener: counts into every bound registry (copy-on-write, read once per event). */
    private static final class Counting implements SessionListener {
        private volatile Counters[] targets = new Counters[0];

        synchronized void add(Counters c) {
            Counters[] next = Arrays.copyOf(targets, targets.length + 1);
            next[next.length - 1] = c;
            targets = next;
        }

        synchronized void remove(Counters c) {
            targets = Arrays.stream(targets).filter(t -> t != c).toArray(Counters[]::new);
        }

        @Override
        public void beforeRetry(Session session, int attempt, Throwable failure) {
            for (Counters c : targets) {
                c.retries.increment();
            }
        }

        @Override
        public void afterPartialCommit(Session session, PartialCommitException failure) {
            for (Counters c : targets) {
                c.partialCommits.increment();
            }
        }
    }
}
