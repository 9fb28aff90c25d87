package dev.athanor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link SessionFactory}. Setters only record; {@link #build()} checks everything at once and reports every
 * problem in one {@link ConfigurationException}.
 *
 * <pre>{@code
 * SessionFactory sessions = SessionFactory.builder()
 *         .bind(engine)
 *         .bind("blogs", blogsEngine)
 *         .isolationLevel(IsolationLevel.REPEATABLE_READ)   // default of every transaction
 *         .listener(myExtension)
 *         .build();
 * }</pre>
 */
public final class SessionFactoryBuilder {
    private final Map<String, Engine> binds = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<SessionListener> listeners = new ArrayList<>();
    private String name;
    private IsolationLevel isolationLevel;
    private Boolean readOnly;
    private LeakDetection leakDetection = LeakDetection.WARN;

    SessionFactoryBuilder() {
    }

    /** Binds the default engine: statements without a bind name run on it. */
    public SessionFactoryBuilder bind(Engine engine) {
        return bind(Session.DEFAULT_BIND, engine);
    }

    /**
     * Binds an engine under a name. Binds commit in the order they were first bound; binding a name again replaces
     * its engine and keeps its place.
     */
    public SessionFactoryBuilder bind(String name, Engine engine) {
        if (name == null || name.isBlank()) {
            problems.add("bind name must not be empty, was " + (name == null ? "null" : "'" + name + "'"));
        } else if (engine == null) {
            problems.add("bind '" + name + "' needs an engine, was null");
        } else {
            binds.put(name, engine);
        }
        return this;
    }

    /** The name that prefixes log lines and messages; default: the default bind's (or first bind's) engine name. */
    public SessionFactoryBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** The isolation level of every transaction unless a session sets its own; {@code null} (default): the engine's. */
    public SessionFactoryBuilder isolationLevel(IsolationLevel isolationLevel) {
        this.isolationLevel = isolationLevel;
        return this;
    }

    /** Whether every transaction is read-only unless a session says otherwise; default: left as the engine has it. */
    public SessionFactoryBuilder readOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /** Adds a listener told about every session's transactions (see {@link SessionListener}). */
    public SessionFactoryBuilder listener(SessionListener listener) {
        if (listener == null) {
            problems.add("listener must not be null");
        } else {
            listeners.add(listener);
        }
        return this;
    }

    /**
     * What happens when a session is garbage-collected without being closed; default {@link LeakDetection#WARN}
     * (logged, rolled back, connections returned). {@link LeakDetection#WARN_WITH_STACK} also shows where it was
     * opened; {@link LeakDetection#OFF} does not track sessions at all.
     */
    public SessionFactoryBuilder leakDetection(LeakDetection leakDetection) {
        this.leakDetection = leakDetection;
        return this;
    }

    /**
     * Checks the configuration and makes the factory. Opens no connection.
     *
     * @throws ConfigurationException listing every problem found
     */
    public SessionFactory build() {
        List<String> all = new ArrayList<>(problems);
        if (binds.isEmpty() && problems.isEmpty()) {
            all.add("no engine is bound: call bind(engine) and/or bind(name, engine)");
        }
        binds.forEach((bind, engine) -> {
            if (engine.isClosed()) {
                all.add("the engine of bind '" + bind + "' (" + engine.name() + ") is closed");
            }
        });
        if (name != null && name.isBlank()) {
            all.add("name must not be blank, was '" + name + "'");
        }
        if (leakDetection == null) {
            all.add("leakDetection must be one of OFF, WARN, WARN_WITH_STACK, was null");
        }
        if (!all.isEmpty()) {
            throw new ConfigurationException("Invalid session factory configuration: ", all);
        }
        Engine first = binds.getOrDefault(Session.DEFAULT_BIND, binds.values().iterator().next());
        return new SessionFactory(name != null ? name : first.name(), binds, isolationLevel, readOnly, listeners,
                leakDetection);
    }
}
