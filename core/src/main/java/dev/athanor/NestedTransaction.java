package dev.athanor;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * A SAVEPOINT inside a transaction ({@code beginNested()}). {@link #commit()} releases it, {@link #rollback()} undoes
 * what ran since it and keeps the outer transaction. Closing it without either rolls it back. It dies when the
 * outer transaction ends.
 *
 * <pre>{@code
 * try (NestedTransaction sp = connection.beginNested()) {
 *     connection.execute("INSERT INTO audit(msg) VALUES (:m)", Map.of("m", "try"));
 *     sp.commit();
 * }
 * }</pre>
 */
public final class NestedTransaction implements AutoCloseable {
    private final Connection owner;
    private final Savepoint savepoint;
    private final String name;
    private final int generation;
    private boolean done;

    NestedTransaction(Connection owner, Savepoint savepoint, String name, int generation) {
        this.owner = owner;
        this.savepoint = savepoint;
        this.name = name;
        this.generation = generation;
    }

    /** True until committed, rolled back, or the outer transaction ends. */
    public boolean isActive() {
        return !done && !owner.isClosed() && owner.transactionGeneration() == generation;
    }

    /** Releases the savepoint: its work becomes part of the outer transaction. */
    public void commit() {
        ensureActive("commit");
        done = true;
        try {
            owner.jdbc().releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw owner.failure("RELEASE SAVEPOINT " + name, List.of(), new Object[0], e);
        }
    }

    /** Rolls back to the savepoint; the outer transaction goes on. */
    public void rollback() {
        ensureActive("roll back");
        done = true;
        try {
            owner.jdbc().rollback(savepoint);
        } catch (SQLException e) {
            throw owner.failure("ROLLBACK TO SAVEPOINT " + name, List.of(), new Object[0], e);
        }
    }

    /** Rolls back if neither {@link #commit()} nor {@link #rollback()} was called and it is still active. */
    @Override
    public void close() {
        if (isActive()) {
            rollback();
        }
    }

    private void ensureActive(String what) {
        if (!isActive()) {
            throw new IllegalStateException("[" + owner.poolName() + "] cannot " + what + " savepoint " + name
                    + ": it is no longer active (already ended, or the outer transaction ended)");
        }
    }

    @Override
    public String toString() {
        return "NestedTransaction[" + name + (isActive() ? "" : ", inactive") + "]";
    }
}
