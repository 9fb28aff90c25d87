package dev.athanor;

/**
 * A nested transaction of a {@link Session} ({@link Session#beginNested()}): a SAVEPOINT on each bind in the
 * transaction. {@link #commit()} releases it into the outer transaction; {@link #rollback()} undoes what ran since it
 * on every bind and keeps the outer transaction. Closing it without either rolls it back. Ending an outer savepoint
 * ends the savepoints nested in it; it dies when the session's transaction ends.
 *
 * <pre>{@code
 * try (SessionSavepoint sp = session.beginNested()) {
 *     session.execute("INSERT INTO users(name) VALUES (:n)", Map.of("n", "maybe"));
 *     if (ok) {
 *         sp.commit();
 *     }
 * }
 * }</pre>
 */
public final class SessionSavepoint implements AutoCloseable {
    private final DefaultSession session;
    private final int generation;
    private final int depth;
    /** Per bind index: the savepoint on that bind's connection, or null while that bind has not joined. */
    private final NestedTransaction[] perBind;
    private boolean done;

    SessionSavepoint(DefaultSession session, int generation, int depth, int binds) {
        this.session = session;
        this.generation = generation;
        this.depth = depth;
        this.perBind = new NestedTransaction[binds];
    }

    void join(int bind, NestedTransaction savepoint) {
        perBind[bind] = savepoint;
    }

    /**
     * Releases ({@code commit}) or rolls back the savepoint on every bind that joined it; returns the first failure,
     * the others suppressed in it, or null.
     */
    RuntimeException endOnEveryBind(boolean commit) {
        RuntimeException failure = null;
        for (NestedTransaction nt : perBind) {
            if (nt == null || !nt.isActive()) {
                continue;
            }
            try {
                if (commit) {
                    nt.commit();
                } else {
                    nt.rollback();
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    void markDone() {
        done = true;
    }

    /** True until committed, rolled back, ended with an enclosing savepoint, or the transaction ends. */
    public boolean isActive() {
        return !done && session.isCurrentGeneration(generation);
    }

    /** Releases the savepoint on every bind: its work becomes part of the outer transaction. */
    public void commit() {
        ensureActive("commit");
        session.endNested(this, true);
    }

    /** Rolls back to the savepoint on every bind; the outer transaction goes on. */
    public void rollback() {
        ensureActive("roll back");
        session.endNested(this, false);
    }

    /** Rolls back if still active. */
    @Override
    public void close() {
        if (isActive()) {
            rollback();
        }
    }

    private void ensureActive(String what) {
        if (!isActive()) {
            throw new IllegalStateException("[" + session.name() + "] cannot " + what + " nested transaction #" + depth
                    + ": it is no longer active (already ended, ended with an enclosing one, or the transaction"
                    + " ended)");
        }
    }

    @Override
    public String toString() {
        return "SessionSavepoint[#" + depth + (isActive() ? "" : ", inactive") + "]";
    }
}
