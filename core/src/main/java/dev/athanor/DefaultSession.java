package dev.athanor;

import dev.athanor.internal.Arguments;
import dev.athanor.internal.LeakGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Session} a {@link SessionFactory} opens. Every operation that checks out, uses or returns connections
 * runs between {@link SessionOwner#enter} and {@link SessionOwner#exit}, so simultaneous use from two threads fails
 * clearly instead of losing a connection.
 */
final class DefaultSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger("dev.athanor.session");

    private final SessionFactory factory;
    private final SessionConnections connections;
    /** Read-only transactions to replicas, with read-your-writes; null when the factory has no replicas. */
    private final SessionReplicas replicas;
    private final SessionListener[] listeners;
    private final LeakGuard leakGuard;
    /** Open nested transactions, outermost first. */
    private final List<SessionSavepoint> savepoints = new ArrayList<>(0);
    private final SessionAttributes attributes = new SessionAttributes();
    private IsolationLevel isolation;
    private Boolean readOnly;
    /** Bumped whenever a transaction ends: savepoints of an earlier transaction are then dead. */
    private int generation;
    private boolean closed;
    /** True while {@link SessionListener#beforeConnectionUse} runs: connection calls it makes do not fire it again. */
    private boolean inConnectionHook;
    private final SessionOwner owner = new SessionOwner();

    DefaultSession(SessionFactory factory) {
        this.factory = factory;
        this.connections = new SessionConnections(factory.name(), factory.bindNames(), factory.engines());
        this.replicas = SessionReplicas.of(factory, connections);
        this.listeners = factory.listeners();
        this.isolation = factory.isolationLevel();
        this.readOnly = factory.readOnlyDefault();
        SessionConnections held = connections;
        this.leakGuard = LeakGuard.watch(this, factory.leakDetection(), LOG, factory.name(), "session",
                held::reclaimLeaked);
    }

    String name() {
        return factory.name();
    }

    @Override
    public Result execute(String sql, Map<String, ?> params) {
        boolean entered = enter();
        try {
            ensureOpen();
            return statementConnection(factory.defaultBindIndex()).execute(sql, params);
        } finally {
            exit(entered);
        }
    }

    @Override
    public Result execute(String sql, Object... params) {
        boolean entered = enter();
        try {
            ensureOpen();
            return statementConnection(factory.defaultBindIndex()).execute(sql, params);
        } finally {
            exit(entered);
        }
    }

    @Override
    public Result execute(String bind, String sql, Map<String, ?> params) {
        if (params == null && !factory.bindNames().contains(bind)) {
            // execute("... VALUES (?, ?)", "x", null) resolves to this overload, not to execute(sql, Object...).
            throw new IllegalArgumentException("[" + name() + "] no bind named '" + bind + "'; if that is SQL with"
                    + " positional parameters ending in a null, pass them as an array:"
                    + " execute(sql, new Object[] {...})");
        }
        boolean entered = enter();
        try {
            ensureOpen();
            return statementConnection(factory.bindIndex(bind)).execute(sql, params);
        } finally {
            exit(entered);
        }
    }

    @Override
    public int[] executeMany(String sql, List<? extends Map<String, ?>> rows) {
        boolean entered = enter();
        try {
            ensureOpen();
            return statementConnection(factory.defaultBindIndex()).executeMany(sql, rows);
        } finally {
            exit(entered);
        }
    }

    @Override
    public Connection connection() {
        boolean entered = enter();
        try {
            ensureOpen();
            int index = factory.defaultBindIndex();
            beforeConnectionUse(index);
            return connection(index);
        } finally {
            exit(entered);
        }
    }

    @Override
    public Connection connection(String bind) {
        ensureOpen();
        int index = factory.bindIndex(bind);
        boolean entered = enter();
        try {
            beforeConnectionUse(index);
            return connection(index);
        } finally {
            exit(entered);
        }
    }

    /** Tells the listeners the connection is handed out, unless they are being told already (no recursion). */
    private void beforeConnectionUse(int bind) {
        if (listeners.length == 0 || inConnectionHook) {
            return; // the common case without extensions costs one comparison
        }
        inConnectionHook = true;
        try {
            String bindName = bindName(bind);
            for (SessionListener l : listeners) {
                l.beforeConnectionUse(this, bindName);
            }
        } finally {
            inConnectionHook = false;
        }
    }

    /**
     * The connection a public statement method of an open session runs on; the listeners hear of it first, as for
     * connection(), so that an extension's pending writes reach the database before the statement reads it.
     */
    private Connection statementConnection(int bind) {
        beforeConnectionUse(bind);
        return connection(bind);
    }

    private Connection connection(int bind) {
        Connection c = connections.get(bind);
        if (c == null) {
            return engage(bind);
        }
        if (c.isClosed()) {
            throw new IllegalStateException("[" + name() + "] the connection of bind '" + bindName(bind) + "' was "
                    + (c.isInvalidated() ? "lost (invalidated)" : "closed") + " during this transaction; roll back"
                    + " the session (or close it) before using it again");
        }
        return c;
    }

    private Connection engage(int bind) {
        Connection c = replicas == null ? connections.engage(bind, isolation, readOnly)
                : replicas.engage(bind, isolation, readOnly);
        String bindName = bindName(bind);
        try {
            for (SessionListener l : listeners) {
                l.afterBegin(this, bindName, c);
            }
        } catch (RuntimeException e) {
            connections.abandon(bind, e);
            throw e;
        }
        for (SessionSavepoint sp : savepoints) {
            sp.join(bind, c.beginNested());
        }
        return c;
    }

    @Override
    public void commit() {
        ensureOpen();
        boolean entered = enter(); // not owned(this::commitOwned): the statement path allocates nothing extra
        try {
            commitOwned();
        } finally {
            exit(entered);
        }
    }

    private void commitOwned() {
        for (SessionListener l : listeners) {
            l.beforeCommit(this);
        }
        if (connections.anyEngaged()) {
            checkNoneLost();
            try {
                // Committing releases the savepoints: nothing to send for them.
                connections.commitAll();
            } catch (RuntimeException e) {
                endTransaction();
                if (e instanceof PartialCommitException) {
                    PartialCommitException partial = (PartialCommitException) e;
                    notifyQuietly("afterPartialCommit", (l, s) -> l.afterPartialCommit(s, partial));
                }
                notifyQuietly("afterRollback", SessionListener::afterRollback);
                throw e;
            }
        }
        endTransaction();
        notifyQuietly("afterCommit", SessionListener::afterCommit);
    }

    private void checkNoneLost() {
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            if (c != null && c.isClosed()) {
                connection(i); // throws, naming the bind; nothing has been committed
            }
        }
    }

    @Override
    public void rollback() {
        ensureOpen();
        boolean entered = enter();
        try {
            rollbackOwned();
        } finally {
            exit(entered);
        }
    }

    private void rollbackOwned() {
        RuntimeException failure = connections.rollbackAll();
        endTransaction();
        notifyQuietly("afterRollback", SessionListener::afterRollback);
        if (failure != null) {
            throw failure;
        }
    }

    private void endTransaction() {
        generation++;
        savepoints.clear();
        isolation = factory.isolationLevel();
        readOnly = factory.readOnlyDefault();
    }

    @Override
    public SessionSavepoint beginNested() {
        ensureOpen();
        boolean entered = enter();
        try {
            return beginNestedOwned();
        } finally {
            exit(entered);
        }
    }

    private SessionSavepoint beginNestedOwned() {
        if (!connections.anyEngaged()) {
            connection(factory.defaultOrFirstBindIndex());
        }
        SessionSavepoint sp = new SessionSavepoint(this, generation, savepoints.size() + 1, connections.size());
        for (int i = 0; i < connections.size(); i++) {
            if (connections.get(i) != null) {
                sp.join(i, connection(i).beginNested());
            }
        }
        savepoints.add(sp);
        return sp;
    }

    boolean isCurrentGeneration(int savepointGeneration) {
        return !closed && savepointGeneration == generation;
    }

    /** Ends {@code sp} and every savepoint nested in it (SQL's RELEASE and ROLLBACK TO end the inner ones too). */
    void endNested(SessionSavepoint sp, boolean commit) {
        ensureOpen();
        owned(() -> endNestedOwned(sp, commit));
    }

    private void endNestedOwned(SessionSavepoint sp, boolean commit) {
        int index = savepoints.indexOf(sp);
        List<SessionSavepoint> ending = savepoints.subList(index, savepoints.size());
        for (SessionSavepoint s : ending) {
            s.markDone();
        }
        ending.clear();
        RuntimeException failure = sp.endOnEveryBind(commit);
        if (!commit) {
            notifyQuietly("afterRollbackToSavepoint", (l, s) -> l.afterRollbackToSavepoint(s, sp));
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Session isolationLevel(IsolationLevel level) {
        ensureNotInTransaction("change the isolation level");
        this.isolation = level;
        return this;
    }

    @Override
    public Session readOnly(boolean readOnly) {
        ensureNotInTransaction("change read-only");
        this.readOnly = readOnly;
        return this;
    }

    private void ensureNotInTransaction(String what) {
        ensureOpen();
        if (connections.anyEngaged()) {
            throw new IllegalStateException("[" + name() + "] cannot " + what + " in the middle of a transaction: set"
                    + " it before the transaction's first statement, or after commit() / rollback()");
        }
    }

    @Override
    public boolean isActive() {
        return !closed && connections.anyEngaged();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public List<String> bindNames() {
        return factory.bindNames();
    }

    @Override
    public <T> T attribute(Class<T> key, Supplier<? extends T> ifAbsent) {
        Arguments.notNull(key, "key");
        Arguments.notNull(ifAbsent, "ifAbsent");
        ensureOpen();
        return attributes.get(key, ifAbsent);
    }

    @Override
    public <T> Optional<T> attribute(Class<T> key) {
        Arguments.notNull(key, "key");
        return attributes.get(key);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        Arguments.notNull(type, "type");
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        T attached = attributes.find(type);
        if (attached != null) {
            return attached;
        }
        throw new IllegalArgumentException("[" + name() + "] this session is not a " + type.getName()
                + " and no extension attached one to it (Session.attribute(Class, Supplier))");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        boolean entered = enter();
        try {
            if (!closed) {
                closeOwned();
            }
        } finally {
            exit(entered);
        }
    }

    private void closeOwned() {
        notifyQuietly("beforeClose", SessionListener::beforeClose);
        boolean wasActive = connections.anyEngaged();
        RuntimeException failure = connections.rollbackAll();
        closed = true;
        endTransaction();
        if (leakGuard != null) {
            leakGuard.release();
        }
        if (failure != null) {
            LOG.warn("[{}] rolling back while closing the session failed; the pool resets or discards the"
                    + " connection: {}", name(), failure.getMessage());
        }
        if (wasActive) {
            notifyQuietly("afterRollback", SessionListener::afterRollback);
        }
    }

    /** A unit of work failed on {@code session} (this one, or a layer over it) and will be retried. */
    void beforeRetry(Session session, int attempt, Throwable failure) {
        notifyQuietly("beforeRetry", (l, self) -> l.beforeRetry(session, attempt, failure));
    }

    /** Tells every listener; the calls are non-capturing where they can be, so no listener costs no allocation. */
    private void notifyQuietly(String event, BiConsumer<SessionListener, Session> call) {
        for (SessionListener l : listeners) {
            try {
                call.accept(l, this);
            } catch (RuntimeException e) {
                LOG.warn("[{}] session listener {} failed in {}; ignored", name(), l, event, e);
            }
        }
    }

    private String bindName(int bind) {
        return factory.bindNames().get(bind);
    }

    private boolean enter() {
        return owner.enter(name());
    }

    private void exit(boolean entered) {
        owner.exit(entered);
    }

    /** Runs {@code operation} (one that is not on the statement path) as this thread's, see {@link SessionOwner}. */
    private void owned(Runnable operation) {
        boolean entered = enter();
        try {
            operation.run();
        } finally {
            exit(entered);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("[" + name() + "] this session is closed; open a new one with"
                    + " openSession() (a closed session cannot be reused)");
        }
    }

    @Override
    public String toString() {
        return "Session[" + name() + (closed ? ", closed" : isActive() ? ", in transaction" : "") + "]";
    }
}
