package dev.athanor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's part of replica routing: per bind, where this session's last write is in the replication stream
 * until every replica has been seen to replay it (read-your-writes), and where the current transaction runs. It is
 * the {@link SessionConnections.Observer} of the session's connections, so it must not reference the session (the
 * leak detector holds the connections).
 */
final class SessionReplicas implements SessionConnections.Observer {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.replica");

    private final String name;
    private final ReplicaRouter[] routers;
    private final SessionConnections connections;
    /** Per bind: the session's last write not yet seen on every replica; "" unknown (read from the primary). */
    private final String[] pending;
    /** Per bind: the replicas seen to have replayed {@link #pending}, one bit each. */
    private final long[] confirmed;
    /** Per bind, this transaction: the replica it runs on, or -1 (the primary, or not engaged). */
    private final int[] routedTo;
    /** Per bind, this transaction: not read-only, on the primary of a bind with replicas (it may write). */
    private final boolean[] writing;
    private final boolean[] committed;

    private SessionReplicas(String name, ReplicaRouter[] routers, SessionConnections connections) {
        this.name = name;
        this.routers = routers;
        this.connections = connections;
        int n = routers.length;
        this.pending = new String[n];
        this.confirmed = new long[n];
        this.routedTo = new int[n];
        this.writing = new boolean[n];
        this.committed = new boolean[n];
        java.util.Arrays.fill(routedTo, -1);
    }

    /** The routing of a new session, observing its connections; {@code null} when the factory has no replicas. */
    static SessionReplicas of(SessionFactory factory, SessionConnections connections) {
        ReplicaRouter[] routers = factory.replicaRouters();
        if (routers == null) {
            return null;
        }
        SessionReplicas replicas = new SessionReplicas(factory.name(), routers, connections);
        connections.observe(replicas);
        return replicas;
    }

    /** Engages {@code bind}: a read-only transaction on a bind with replicas goes through its router. */
    Connection engage(int bind, IsolationLevel isolation, Boolean readOnly) {
        ReplicaRouter router = routers[bind];
        routedTo[bind] = -1;
        boolean toReplica = router != null && Boolean.TRUE.equals(readOnly);
        writing[bind] = router != null && !toReplica;
        return toReplica ? router.engage(connections, bind, isolation, readOnly, this)
                : connections.engage(bind, isolation, readOnly);
    }

    String pending(int bind) {
        return pending[bind];
    }

    boolean confirmed(int bind, int replica) {
        return (confirmed[bind] & (1L << replica)) != 0;
    }

    /** Replica {@code replica} has replayed the pending write; once all {@code count} have, nothing is pending. */
    void confirm(int bind, int replica, int count) {
        long all = count == 64 ? -1L : (1L << count) - 1;
        confirmed[bind] |= 1L << replica;
        if (confirmed[bind] == all) {
            pending[bind] = null;
            confirmed[bind] = 0;
        }
    }

    void routed(int bind, int replica) {
        routedTo[bind] = replica;
    }

    @Override
    public void committed(int bind) {
        committed[bind] = true;
    }

    /**
     * Before a bind's connection goes back: a lost replica connection cools its replica down; a writing transaction
     * that committed (or ran under AUTOCOMMIT) leaves its position pending. A write whose outcome or position is
     * unknown (the connection was lost, the position query failed) sends the session's reads to the primary.
     */
    @Override
    public void released(int bind, Connection c) {
        ReplicaRouter router = routers[bind];
        if (router == null) {
            return;
        }
        int replica = routedTo[bind];
        boolean write = writing[bind];
        boolean commit = committed[bind];
        routedTo[bind] = -1;
        writing[bind] = false;
        committed[bind] = false;
        if (replica >= 0) {
            if (c.isInvalidated()) {
                router.lost(replica);
            }
            return;
        }
        if (!write) {
            return;
        }
        if (c.isClosed()) {
            if (c.isInvalidated()) {
                remember(bind, ReplicaSql.UNKNOWN); // lost mid-transaction or during COMMIT: it may have written
            }
            return;
        }
        if (!commit && !c.physicalConnection().autoCommit()) {
            return; // rolled back: nothing was written
        }
        String position;
        try {
            position = router.position(c);
        } catch (RuntimeException e) {
            LOG.debug("[{}] the position of a commit on bind '{}' could not be read; this session reads from the"
                    + " primary: {}", name, router.bind(), e.toString());
            position = ReplicaSql.UNKNOWN;
        }
        if (position != null) {
            remember(bind, position);
        }
    }

    private void remember(int bind, String position) {
        pending[bind] = position;
        confirmed[bind] = 0;
    }
}
