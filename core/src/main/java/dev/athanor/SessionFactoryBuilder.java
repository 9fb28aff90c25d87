package dev.athanor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

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
 *
 * SessionFactory scaled = SessionFactory.builder()
 *         .bind(primary).replica(replica1).replica(replica2)      // read-only transactions go to the replicas
 *         .bind("users", usersPrimary).replica("users", usersReplica)
 *         .replicaMaxLag(Duration.ofSeconds(5))                     // skip a replica further behind (default: none)
 *         .build();
 * }</pre>
 *
 * <p>Replicas: see {@link Session#readOnly(boolean)} for what runs on them and what read-your-writes guarantees.
 */
public final class SessionFactoryBuilder {
    private final Map<String, Engine> binds = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<SessionListener> listeners = new ArrayList<>();
    private String name;
    private IsolationLevel isolationLevel;
    private Boolean readOnly;
    private LeakDetection leakDetection = LeakDetection.WARN;
    private final Map<String, List<Engine>> replicas = new LinkedHashMap<>();
    private Duration replicaCooldown = ReplicaOptions.DEFAULT_COOLDOWN;
    private Duration replicaMaxLag;
    private Duration replicaLagCheckInterval = ReplicaOptions.DEFAULT_LAG_CHECK_INTERVAL;
    private ReplicaFallback replicaFallback = ReplicaFallback.PRIMARY;
    private ReplicaSelection replicaSelection = ReplicaSelection.ROUND_ROBIN;
    private LongSupplier replicaClock = ReplicaOptions.DEFAULTS.clock();
    private Function<Dialect, ReplicaSql> replicaSql = ReplicaOptions.DEFAULTS.sql();

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

    /** Adds a replica of the default bind: see {@link #replica(String, Engine)}. */
    public SessionFactoryBuilder replica(Engine replica) {
        return replica(Session.DEFAULT_BIND, replica);
    }

    /**
     * Adds a replica of {@code bind}: a read-only transaction (the factory's {@link #readOnly(boolean) readOnly(true)}
     * default, or {@link Session#readOnly(boolean) session.readOnly(true)} before its first statement) runs on one of
     * the bind's replicas, every other transaction on the bind's engine (the primary). Several replicas are tried as
     * {@link #replicaSelection} says; one that cannot be reached is skipped for {@link #replicaCooldown}; when none can
     * take the transaction it goes to the primary ({@link #replicaFallback}). The replica must be another server of
     * the same database family as the bind's engine, bound by the time {@link #build()} runs.
     */
    public SessionFactoryBuilder replica(String bind, Engine replica) {
        if (bind == null || bind.isBlank()) {
            problems.add("replica bind name must not be empty, was " + (bind == null ? "null" : "'" + bind + "'"));
        } else if (replica == null) {
            problems.add("replica of bind '" + bind + "' needs an engine, was null");
        } else {
            replicas.computeIfAbsent(bind, b -> new ArrayList<>()).add(replica);
        }
        return this;
    }

    /**
     * How long a replica that could not be reached, or whose connection was lost, is skipped; default 10 s; zero:
     * tried again by the next transaction.
     */
    public SessionFactoryBuilder replicaCooldown(Duration cooldown) {
        this.replicaCooldown = cooldown;
        return this;
    }

    /**
     * Skip a replica whose replication lag is over {@code maxLag}; default {@code null}: no maximum. The lag is
     * measured at most once per {@link #replicaLagCheckInterval} per replica, on the connection of the transaction
     * that finds the measurement due (one more round trip then): PostgreSQL, the age of the last replayed commit
     * while WAL waits to be replayed; MariaDB, {@code Seconds_Behind_Master} (the user needs the
     * {@code SLAVE MONITOR} privilege). A lag that cannot be measured counts as too far behind. Refused at build()
     * for other databases.
     */
    public SessionFactoryBuilder replicaMaxLag(Duration maxLag) {
        this.replicaMaxLag = maxLag;
        return this;
    }

    /** How often a replica's lag is measured, at most, when a maximum lag is set; default 1 s. */
    public SessionFactoryBuilder replicaLagCheckInterval(Duration interval) {
        this.replicaLagCheckInterval = interval;
        return this;
    }

    /** Where a read-only transaction goes when no replica can take it; default {@link ReplicaFallback#PRIMARY}. */
    public SessionFactoryBuilder replicaFallback(ReplicaFallback fallback) {
        this.replicaFallback = fallback;
        return this;
    }

    /** The order replicas are tried in; default {@link ReplicaSelection#ROUND_ROBIN}. */
    public SessionFactoryBuilder replicaSelection(ReplicaSelection selection) {
        this.replicaSelection = selection;
        return this;
    }

    /** Tests: the clock (nanoseconds) of cool-downs and lag checks, and the replication SQL per dialect. */
    SessionFactoryBuilder replicaInternals(LongSupplier clock, Function<Dialect, ReplicaSql> sql) {
        this.replicaClock = clock;
        this.replicaSql = sql;
        return this;
    }

    ReplicaOptions replicaOptions() {
        return new ReplicaOptions(replicaCooldown, replicaMaxLag, replicaLagCheckInterval, replicaFallback,
                replicaSelection, replicaClock, replicaSql);
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
        Engine first = binds.isEmpty() ? null
                : binds.getOrDefault(Session.DEFAULT_BIND, binds.values().iterator().next());
        String factoryName = name != null && !name.isBlank() ? name : first != null ? first.name() : "sessions";
        ReplicaRouter[] routers = ReplicaRouter.create(factoryName, List.copyOf(binds.keySet()),
                binds.values().toArray(new Engine[0]), replicas, replicaOptions(), all);
        if (!all.isEmpty()) {
            throw new ConfigurationException("Invalid session factory configuration: ", all);
        }
        return new SessionFactory(factoryName, binds, isolationLevel, readOnly, listeners, leakDetection, routers,
                replicaOptions());
    }
}
