package dev.athanor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses where one bind's read-only transactions run: a replica that is neither cooling down nor lagging and has
 * replayed the session's last write, else the primary (or nowhere, with {@link ReplicaFallback#FAIL}). Shared by
 * every session of a factory; the per-session part (the pending write position) is {@link SessionReplicas}.
 */
final class ReplicaRouter {
    /** A replica known to have replayed a position is one bit of a {@code long}. */
    static final int MAX_REPLICAS = 64;
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.replica");

    private final String factory;
    private final String bind;
    private final Replica[] replicas;
    private final ReplicaOptions options;
    private final ReplicaSql sql;
    private final AtomicInteger next = new AtomicInteger();

    private ReplicaRouter(String factory, String bind, List<Engine> engines, ReplicaOptions options, ReplicaSql sql) {
        this.factory = factory;
        this.bind = bind;
        this.replicas = engines.stream().map(e -> new Replica(factory, bind, e, options)).toArray(Replica[]::new);
        this.options = options;
        this.sql = sql;
    }

    /**
     * One router per bind index ({@code null} where a bind has no replicas), or {@code null} when no bind has any.
     * Problems with the replicas are added to {@code problems} (and nothing is made).
     */
    static ReplicaRouter[] create(String factory, List<String> bindNames, Engine[] primaries,
                                  Map<String, List<Engine>> replicas, ReplicaOptions options, List<String> problems) {
        if (replicas.isEmpty()) {
            return null;
        }
        int before = problems.size();
        options.check(problems);
        ReplicaRouter[] routers = new ReplicaRouter[primaries.length];
        replicas.forEach((bind, engines) -> {
            int index = bindNames.indexOf(bind);
            if (index < 0) {
                problems.add("replica " + names(engines) + " given for bind '" + bind + "', but there is no bind"
                        + " named '" + bind + "'; the binds are " + bindNames);
                return;
            }
            Engine primary = primaries[index];
            check(bind, primary, engines, options, problems);
            ReplicaSql sql = options.sql() == null ? null : options.sql().apply(primary.dialect());
            if (options.maxLag() != null && options.maxLag().compareTo(Duration.ZERO) > 0 && sql != null
                    && !sql.measuresLag()) {
                problems.add("replicaMaxLag needs replicas whose lag Athanor can measure (postgresql, mariadb);"
                        + " bind '" + bind + "' is " + primary.dialect().id());
            }
            routers[index] = new ReplicaRouter(factory, bind, engines, options, sql);
        });
        return problems.size() > before ? null : routers;
    }

    private static void check(String bind, Engine primary, List<Engine> engines, ReplicaOptions options,
                              List<String> problems) {
        if (engines.size() > MAX_REPLICAS) {
            problems.add("bind '" + bind + "' has " + engines.size() + " replicas, at most " + MAX_REPLICAS
                    + " are allowed");
        }
        Map<Engine, Boolean> seen = new IdentityHashMap<>();
        for (Engine e : engines) {
            String what = "replica " + e.name() + " of bind '" + bind + "'";
            if (seen.put(e, Boolean.TRUE) != null) {
                problems.add(what + " is given twice");
            } else if (e == primary || e.url().equals(primary.url())) {
                problems.add(what + " is the bind's own engine (" + primary.name() + ", " + primary.url()
                        + "): a replica must be another server");
            } else if (e.isClosed()) {
                problems.add(what + " is closed");
            } else if (e.dialect() != primary.dialect()) {
                problems.add(what + " is " + e.dialect().id() + " but the bind's engine is "
                        + primary.dialect().id() + ": a replica must be of the same database");
            }
        }
    }

    private static String names(List<Engine> engines) {
        return engines.stream().map(Engine::name).toList().toString();
    }

    String bind() {
        return bind;
    }

    List<Engine> engines() {
        List<Engine> list = new ArrayList<>(replicas.length);
        for (Replica r : replicas) {
            list.add(r.engine());
        }
        return list;
    }

    int size() {
        return replicas.length;
    }

    /**
     * Engages {@code bind} for a read-only transaction: on the first replica (from the round-robin start) that can
     * take it, else on the primary (or fails, see {@link ReplicaFallback#FAIL}). A replica that cannot be reached is
     * skipped for the cool-down; one whose lag is due to be measured is measured on the connection it gives; one
     * that has not replayed the session's pending write is passed over without blame.
     */
    Connection engage(SessionConnections conns, int bindIndex, IsolationLevel isolation, Boolean readOnly,
                      SessionReplicas session) {
        String pending = session.pending(bindIndex);
        if (pending != null && pending.isEmpty()) {
            return conns.engage(bindIndex, isolation, readOnly); // a write at an unknown position: primary
        }
        long now = options.now();
        int n = replicas.length;
        int start = options.selection() == ReplicaSelection.ROUND_ROBIN && n > 1
                ? Math.floorMod(next.getAndIncrement(), n) : 0;
        List<String> skipped = new ArrayList<>(0);
        boolean behindOwnWrite = false;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            Replica r = replicas[i];
            String why = r.skipReason(now);
            if (why != null) {
                skipped.add(r.engine().name() + ": " + why);
                continue;
            }
            Connection c;
            try {
                c = r.engine().connect();
            } catch (DisconnectionException e) {
                r.coolDown(now, e.getMessage());
                skipped.add(r.engine().name() + ": " + e.getMessage());
                continue;
            }
            try {
                // One session measures when due; the others keep to the last measurement meanwhile.
                if (r.claimLagCheck(now) ? tooFarBehind(r, c) : r.lagging()) {
                    c.close();
                    skipped.add(r.engine().name() + ": " + r.lagText());
                    continue;
                }
                if (pending != null && !session.confirmed(bindIndex, i)) {
                    if (!sql.hasReplayed(c, pending)) {
                        c.close();
                        behindOwnWrite = true;
                        continue;
                    }
                    session.confirm(bindIndex, i, n);
                }
                Connection engaged = conns.engage(bindIndex, c, isolation, readOnly);
                session.routed(bindIndex, i);
                return engaged;
            } catch (DisconnectionException e) {
                // The connection is invalidated already (with every older one of that replica's pool).
                r.coolDown(options.now(), e.getMessage());
                skipped.add(r.engine().name() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                if (!c.isClosed()) {
                    c.close();
                }
                throw e;
            }
        }
        if (!behindOwnWrite && options.fallback() == ReplicaFallback.FAIL) {
            throw new ReplicaUnavailableException("[" + factory + "] no replica of bind '" + bind + "' can take a"
                    + " read-only transaction and replicaFallback is FAIL: " + String.join("; ", skipped));
        }
        if (!skipped.isEmpty() && LOG.isDebugEnabled()) {
            LOG.debug("[{}] a read-only transaction of bind '{}' runs on the primary: {}", factory, bind, skipped);
        }
        return conns.engage(bindIndex, isolation, readOnly);
    }

    private boolean tooFarBehind(Replica r, Connection c) {
        Duration lag;
        String error = null;
        try {
            lag = sql.lag(c);
            if (lag == null) {
                error = "it reports none (is its replication stopped?)";
            }
        } catch (DisconnectionException e) {
            throw e;
        } catch (StatementException e) {
            lag = null;
            error = e.getMessage();
        }
        return r.lagMeasured(lag, error);
    }

    /** A connection to replica {@code i} was lost during a transaction: skip it for the cool-down. */
    void lost(int i) {
        replicas[i].coolDown(options.now(), "a connection was lost during a transaction");
    }

    /** Writes the position of a commit: see {@link ReplicaSql#position}. */
    String position(Connection primary) {
        return sql.position(primary);
    }

    void status(List<ReplicaStatus> into) {
        long now = options.now();
        for (Replica r : replicas) {
            into.add(r.status(now));
        }
    }
}
