package dev.athanor;

import dev.athanor.internal.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQLAlchemy's {@code sessionmaker}: makes {@link Session}s over one or more engines ("binds"). Thread-safe and
 * immutable; make one at start-up next to the engines and share it.
 *
 * <pre>{@code
 * Engine engine = Engine.create("postgresql://app@localhost/app");
 * Engine blogs = Engine.create("mariadb://app@localhost/blogs");
 * SessionFactory sessions = SessionFactory.builder()
 *         .bind(engine)              // the default bind
 *         .bind("blogs", blogs)      // a named bind: a second database, same sessions
 *         .build();
 *
 * // the seed's get_session(): commit when the block returns, roll back when it throws, always close
 * long id = sessions.inTransaction(s ->
 *         s.execute("INSERT INTO users(name) VALUES (:n)", Map.of("n", "ann")).generatedKeys().scalar(Long.class));
 *
 * try (Session s = sessions.openSession()) {         // by hand
 *     s.execute("blogs", "UPDATE posts SET views = views + 1 WHERE id = :id", Map.of("id", 7));
 *     s.commit();
 * }
 *
 * SessionFactory readOnly = sessions.toBuilder().readOnly(true).build();   // SQLAlchemy's configure()
 * }</pre>
 */
public final class SessionFactory implements SessionSource<Session> {
    private final String name;
    private final List<String> bindNames;
    private final Engine[] engines;
    private final int defaultBind;
    private final IsolationLevel isolationLevel;
    private final Boolean readOnly;
    private final SessionListener[] listeners;
    private final LeakDetection leakDetection;
    /** Per bind index, the replicas' router ({@code null}: none); {@code null} when no bind has replicas. */
    private final ReplicaRouter[] replicaRouters;
    private final ReplicaOptions replicaOptions;

    SessionFactory(String name, Map<String, Engine> binds, IsolationLevel isolationLevel, Boolean readOnly,
                   List<SessionListener> listeners, LeakDetection leakDetection, ReplicaRouter[] replicaRouters,
                   ReplicaOptions replicaOptions) {
        this.replicaRouters = replicaRouters;
        this.replicaOptions = replicaOptions;
        this.name = name;
        this.bindNames = List.copyOf(binds.keySet());
        this.engines = binds.values().toArray(new Engine[0]);
        this.defaultBind = bindNames.indexOf(Session.DEFAULT_BIND);
        this.isolationLevel = isolationLevel;
        this.readOnly = readOnly;
        this.listeners = listeners.toArray(new SessionListener[0]);
        this.leakDetection = leakDetection;
    }

    /** A builder for a session factory; bind at least one engine. */
    public static SessionFactoryBuilder builder() {
        return new SessionFactoryBuilder();
    }

    /** A new session; it checks out no connection until its first statement. Close it (or use a block). */
    @Override
    public Session openSession() {
        return new DefaultSession(this);
    }

    /** A builder holding this factory's configuration, to derive a differently configured factory. */
    public SessionFactoryBuilder toBuilder() {
        SessionFactoryBuilder b = new SessionFactoryBuilder();
        for (int i = 0; i < engines.length; i++) {
            b.bind(bindNames.get(i), engines[i]);
        }
        b.name(name).isolationLevel(isolationLevel).leakDetection(leakDetection);
        if (readOnly != null) {
            b.readOnly(readOnly);
        }
        for (SessionListener l : listeners) {
            b.listener(l);
        }
        if (replicaRouters != null) {
            for (ReplicaRouter r : replicaRouters) {
                if (r != null) {
                    r.engines().forEach(e -> b.replica(r.bind(), e));
                }
            }
        }
        return b.replicaCooldown(replicaOptions.cooldown()).replicaMaxLag(replicaOptions.maxLag())
                .replicaLagCheckInterval(replicaOptions.lagCheckInterval()).replicaFallback(replicaOptions.fallback())
                .replicaSelection(replicaOptions.selection())
                .replicaInternals(replicaOptions.clock(), replicaOptions.sql());
    }

    /** The name that prefixes this factory's log lines and messages (by default the default bind's engine name). */
    @Override
    public String name() {
        return name;
    }

    /** The bind names, in commit order (the order they were bound). */
    public List<String> bindNames() {
        return bindNames;
    }

    /** The default bind's engine. */
    public Engine engine() {
        return engines[defaultBindIndex()];
    }

    /** The engine bound under {@code bind}. */
    public Engine engine(String bind) {
        return engines[bindIndex(bind)];
    }

    Engine[] engines() {
        return engines;
    }

    int bindIndex(String bind) {
        int i = bindNames.indexOf(Arguments.notNull(bind, "bind"));
        if (i < 0) {
            throw new IllegalArgumentException("[" + name + "] no bind named '" + bind + "'; the binds are "
                    + bindNames);
        }
        return i;
    }

    int defaultBindIndex() {
        if (defaultBind < 0) {
            throw new IllegalArgumentException("[" + name + "] there is no default bind (bind(engine) was not called);"
                    + " name one of " + bindNames);
        }
        return defaultBind;
    }

    /** Where a transaction begins when no bind is named: the default bind, or the first bind if there is none. */
    int defaultOrFirstBindIndex() {
        return defaultBind < 0 ? 0 : defaultBind;
    }

    /**
     * Every replica, bind by bind in bind order and in the order given: whether read-only transactions go to it
     * now, its last measured lag and its last error. Empty when no replica is configured. Asks no server.
     */
    public List<ReplicaStatus> replicaStatus() {
        List<ReplicaStatus> all = new ArrayList<>();
        if (replicaRouters != null) {
            for (ReplicaRouter r : replicaRouters) {
                if (r != null) {
                    r.status(all);
                }
            }
        }
        return all;
    }

    ReplicaRouter[] replicaRouters() {
        return replicaRouters;
    }

    IsolationLevel isolationLevel() {
        return isolationLevel;
    }

    Boolean readOnlyDefault() {
        return readOnly;
    }

    SessionListener[] listeners() {
        return listeners;
    }

    LeakDetection leakDetection() {
        return leakDetection;
    }

    @Override
    public String toString() {
        return "SessionFactory[" + name + ", binds=" + bindNames + "]";
    }
}
