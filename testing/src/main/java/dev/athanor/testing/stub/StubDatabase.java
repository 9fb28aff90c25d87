package dev.athanor.testing.stub;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One in-memory "database" behind the {@link StubDriver}: counts what pools and engines do to it and fails on
 * request. A test fixture, not shipped.
 *
 * <p>Databases live in a static registry keyed by name; the URL {@code jdbc:stub:NAME} reaches the database
 * {@code NAME}, creating it on first use. Give each test its own database so counters never mix:
 *
 * <pre>{@code
 * StubDatabase db = StubDatabase.fresh();
 * try (Connection c = DriverManager.getConnection(db.url())) {
 *     c.createStatement().executeQuery("SELECT 1");
 * }
 * assertThat(db.opened()).isEqualTo(1);
 * assertThat(db.openNow()).isZero();
 * }</pre>
 *
 * <p>Counters count events since creation or the last {@link #reset()} and are safe to read from any thread.
 * Connection counts are {@code int}; per-operation counts are {@code long} (they grow fast in benchmarks). Failure
 * injections apply to every connection of the database. The happy path takes no locks and does no logging, so
 * the stub can stand in for a database in benchmarks of pool overhead.
 */
public final class StubDatabase {
    /** The longest a connect blocked by {@link #hangConnects()} waits before it gives up, so tests cannot hang. */
    public static final Duration HANG_LIMIT = Duration.ofSeconds(30);

    private static final Map<String, StubDatabase> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong FRESH_NAMES = new AtomicLong();
    private static final CannedResult[] NO_CANNED_RESULTS = new CannedResult[0];

    static {
        // Reaching a database by URL must not depend on whether DriverManager has scanned the service files yet.
        StubDriver.register();
    }

    private final String name;
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final Set<StubConnection> openConnections = ConcurrentHashMap.newKeySet();

    private final AtomicInteger connectAttempts = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger maxOpenSeen = new AtomicInteger();
    private final LongAdder commits = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();
    private final LongAdder savepointRollbacks = new LongAdder();
    private final LongAdder statementsExecuted = new LongAdder();
    private final LongAdder validations = new LongAdder();
    private final AtomicLong generatedKeys = new AtomicLong();

    private volatile boolean recordSql;
    private final ConcurrentLinkedQueue<String> executedSql = new ConcurrentLinkedQueue<>();
    private volatile CannedResult[] cannedResults = NO_CANNED_RESULTS;

    private final AtomicInteger failConnects = new AtomicInteger();
    private volatile boolean down;
    private volatile long connectDelayNanos;
    private final AtomicReference<Hang> hang = new AtomicReference<>();
    private final AtomicReference<String> failStatement = new AtomicReference<>();
    private final AtomicReference<String> failCommit = new AtomicReference<>();
    private final AtomicInteger loseCommitReplies = new AtomicInteger();

    private StubDatabase(String name) {
        this.name = name;
    }

    /** The database called {@code name}, created on first use. The name may not contain {@code ;}. */
    public static StubDatabase named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf(';') >= 0) {
            throw new IllegalArgumentException("stub: database name must be non-empty without ';', was '" + name + "'");
        }
        return REGISTRY.computeIfAbsent(name, StubDatabase::new);
    }

    /** A new database with a name no other database has. */
    public static StubDatabase fresh() {
        return named("fresh-" + FRESH_NAMES.incrementAndGet());
    }

    /** The name in this database's URL. */
    public String name() {
        return name;
    }

    /** The JDBC URL of this database, {@code jdbc:stub:NAME}. */
    public String url() {
        return StubDriver.URL_PREFIX + name;
    }

    /**
     * Zeroes the counters and clears recorded SQL, canned results and every failure injection (releasing hanging
     * connects). Connections stay open: {@link #openNow()} keeps counting them and {@link #maxOpenSeen()} restarts
     * from it. Meant for between tests, not while connections are in use.
     */
    public void reset() {
        releaseHangingConnects();
        failConnects.set(0);
        down = false;
        connectDelayNanos = 0;
        failStatement.set(null);
        failCommit.set(null);
        loseCommitReplies.set(0);
        recordSql = false;
        executedSql.clear();
        cannedResults = NO_CANNED_RESULTS;
        connectAttempts.set(0);
        opened.set(0);
        closed.set(0);
        maxOpenSeen.set(openNow.get());
        commits.reset();
        rollbacks.reset();
        savepointRollbacks.reset();
        statementsExecuted.reset();
        validations.reset();
        generatedKeys.set(0);
    }

    // ---- counters

    /** Calls to connect, successful or not. */
    public int connectAttempts() {
        return connectAttempts.get();
    }

    /** Physical connections opened. */
    public int opened() {
        return opened.get();
    }

    /** Physical connections closed (including killed connections closed afterwards). */
    public int closed() {
        return closed.get();
    }

    /** Physical connections open right now, killed ones included until they are closed. */
    public int openNow() {
        return openNow.get();
    }

    /** The highest {@link #openNow()} has been. */
    public int maxOpenSeen() {
        return maxOpenSeen.get();
    }

    /** Successful commits: {@code commit()} and the implicit commit of {@code setAutoCommit(true)}. */
    public long commits() {
        return commits.sum();
    }

    /** Successful {@code rollback()} calls; rollbacks to a savepoint are counted by {@link #savepointRollbacks()}. */
    public long rollbacks() {
        return rollbacks.sum();
    }

    /** Successful {@code rollback(Savepoint)} calls. */
    public long savepointRollbacks() {
        return savepointRollbacks.sum();
    }

    /**
     * Statements that reached the database, including those an injected failure then failed; each entry of a batch
     * counts once. Equals {@code executedSql().size()} while SQL is recorded.
     */
    public long statementsExecuted() {
        return statementsExecuted.sum();
    }

    /** Calls to {@code Connection.isValid}. */
    public long validations() {
        return validations.sum();
    }

    /** Physical connections open right now, oldest first. */
    public List<StubConnection> openConnections() {
        List<StubConnection> open = new ArrayList<>(openConnections);
        open.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return open;
    }

    // ---- recorded SQL and canned results

    /** Turns recording of executed SQL on or off (off by default, so benchmarks pay nothing). */
    public StubDatabase recordSql(boolean record) {
        this.recordSql = record;
        return this;
    }

    /** The SQL of every statement counted by {@link #statementsExecuted()} while recording was on, in order. */
    public List<String> executedSql() {
        return List.copyOf(executedSql);
    }

    /**
     * Makes queries whose SQL starts with {@code sqlPrefix} (ignoring case and leading whitespace) return these rows.
     * Checked before the default behaviour, newest registration first. Such statements count as queries even when
     * they do not start with {@code SELECT}.
     */
    public StubDatabase queryResult(String sqlPrefix, String[] labels, List<Object[]> rows) {
        String[] labelsCopy = labels.clone();
        CannedResult result = new CannedResult(sqlPrefix.strip(), labelsCopy, StubResultSet.copyRows(labelsCopy, rows));
        synchronized (this) {
            CannedResult[] old = cannedResults;
            CannedResult[] updated = new CannedResult[old.length + 1];
            updated[0] = result;
            System.arraycopy(old, 0, updated, 1, old.length);
            cannedResults = updated;
        }
        return this;
    }

    // ---- failure injection

    /** Makes the next {@code n} connects fail with SQLSTATE 08001 "stub: connection refused". */
    public StubDatabase failNextConnects(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("stub: failNextConnects needs n >= 0, was " + n);
        }
        failConnects.set(n);
        return this;
    }

    /** While down, every connect fails with SQLSTATE 08001; open connections are unaffected (see {@link #killAll}). */
    public StubDatabase down(boolean down) {
        this.down = down;
        return this;
    }

    /** Makes every connect sleep this long before anything else happens; zero turns the delay off. */
    public StubDatabase connectDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("stub: connectDelay must be >= 0, was " + delay);
        }
        connectDelayNanos = delay.toNanos();
        return this;
    }

    /**
     * Makes connects block until {@link #releaseHangingConnects()} (or {@link Hang#close()}); a blocked connect gives
     * up with SQLSTATE 08001 after {@link #HANG_LIMIT}, or at once when its thread is interrupted. Calling this again
     * before a release returns the same hang.
     */
    public Hang hangConnects() {
        Hang fresh = new Hang(this);
        Hang current = hang.compareAndExchange(null, fresh);
        return current != null ? current : fresh;
    }

    /**
     * Waits until a connect is blocked by {@link #hangConnects()}.
     *
     * @return whether one was blocked within {@code timeout}
     * @throws IllegalStateException when connects are not hanging
     */
    public boolean awaitHangingConnect(Duration timeout) throws InterruptedException {
        Hang current = hang.get();
        if (current == null) {
            throw new IllegalStateException("stub: database " + name + " has no hangConnects() in effect");
        }
        return current.awaitBlocked(1, timeout);
    }

    /** Lets every hanging connect go on and stops new connects from hanging; harmless when none hang. */
    public void releaseHangingConnects() {
        Hang current = hang.getAndSet(null);
        if (current != null) {
            current.released.countDown();
        }
    }

    /**
     * Kills every open connection: from now on using it throws SQLSTATE 08006 "stub: connection killed" and
     * {@code isValid} returns false, while {@code isClosed} stays false and {@code close} still works, as after a
     * network failure. Connections opened later are healthy.
     */
    public void killAll() {
        for (StubConnection connection : openConnections) {
            connection.kill();
        }
    }

    /** Makes the next statement executed on any connection throw an SQLException with this SQLSTATE. */
    public StubDatabase failNextStatement(String sqlState) {
        failStatement.set(Objects.requireNonNull(sqlState, "sqlState"));
        return this;
    }

    /** Makes the next {@code commit()} on any connection throw an SQLException with this SQLSTATE. */
    public StubDatabase failNextCommit(String sqlState) {
        failCommit.set(Objects.requireNonNull(sqlState, "sqlState"));
        return this;
    }

    /**
     * Makes the next {@code n} {@code commit()} calls (on any connection) commit and then lose the connection before
     * the reply: the commit counts in {@link #commits()}, the connection is killed and the call throws SQLSTATE 08006
     * "stub: connection lost after COMMIT was sent" — a commit whose outcome the client cannot know.
     */
    public StubDatabase loseNextCommitReplies(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("stub: loseNextCommitReplies needs n >= 0, was " + n);
        }
        loseCommitReplies.set(n);
        return this;
    }

    @Override
    public String toString() {
        return "StubDatabase[" + name + ", open=" + openNow.get() + "]";
    }

    // ---- called by the driver, connections and statements

    StubConnection connect(Map<String, String> properties) throws SQLException {
        connectAttempts.incrementAndGet();
        long delay = connectDelayNanos;
        if (delay > 0) {
            sleep(delay);
        }
        Hang current = hang.get();
        if (current != null) {
            current.block();
        }
        if (down || takeOne(failConnects)) {
            throw StubSupport.connectionRefused();
        }
        StubConnection connection = new StubConnection(this, connectionIds.incrementAndGet(), properties);
        openConnections.add(connection);
        opened.incrementAndGet();
        int now = openNow.incrementAndGet();
        int max;
        while (now > (max = maxOpenSeen.get()) && !maxOpenSeen.compareAndSet(max, now)) {
            // another thread raised the mark meanwhile; look again
        }
        return connection;
    }

    void connectionClosed(StubConnection connection) {
        openConnections.remove(connection);
        openNow.decrementAndGet();
        closed.incrementAndGet();
    }

    /** Counts and records a statement about to run; throws the injected failure if one is pending. */
    void statementExecuted(String sql) throws SQLException {
        statementsExecuted.increment();
        if (recordSql) {
            executedSql.add(sql);
        }
        if (failStatement.get() != null) {
            String sqlState = failStatement.getAndSet(null);
            if (sqlState != null) {
                throw new SQLException("stub: injected statement failure", sqlState);
            }
        }
    }

    /** Throws the injected commit failure if one is pending. */
    void beforeCommit() throws SQLException {
        if (failCommit.get() != null) {
            String sqlState = failCommit.getAndSet(null);
            if (sqlState != null) {
                throw new SQLException("stub: injected commit failure", sqlState);
            }
        }
    }

    void committed() {
        commits.increment();
    }

    /** After a commit went through: loses the reply (killing {@code connection}) if that was asked for. */
    void afterCommit(StubConnection connection) throws SQLException {
        if (takeOne(loseCommitReplies)) {
            connection.kill();
            throw new SQLException("stub: connection lost after COMMIT was sent", StubSupport.CONNECTION_FAILURE);
        }
    }

    void rolledBack() {
        rollbacks.increment();
    }

    void rolledBackToSavepoint() {
        savepointRollbacks.increment();
    }

    void validated() {
        validations.increment();
    }

    long nextGeneratedKey() {
        return generatedKeys.incrementAndGet();
    }

    /** The canned result for this SQL, or null when none was registered for it. */
    StubResultSet cannedResult(String sql, StubPreparedStatement statement) {
        CannedResult[] results = cannedResults;
        if (results.length == 0) {
            return null;
        }
        int start = StubPreparedStatement.firstNonWhitespace(sql);
        for (CannedResult result : results) {
            if (sql.regionMatches(true, start, result.prefix, 0, result.prefix.length())) {
                return new StubResultSet(statement, result.labels, result.rows);
            }
        }
        return null;
    }

    private static boolean takeOne(AtomicInteger remaining) {
        return remaining.get() > 0 && remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static void sleep(long nanos) throws SQLException {
        try {
            NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("stub: connect interrupted during connectDelay", StubSupport.CONNECTION_REFUSED, e);
        }
    }

    private record CannedResult(String prefix, String[] labels, List<Object[]> rows) {
    }

    /**
     * Connects held up by {@link StubDatabase#hangConnects()}. Closing it releases them, so a hang can be scoped with
     * try-with-resources.
     */
    public static final class Hang implements AutoCloseable {
        private final StubDatabase database;
        private final CountDownLatch released = new CountDownLatch(1);
        private int blocked; // guarded by this

        private Hang(StubDatabase database) {
            this.database = database;
        }

        /**
         * Waits until at least {@code count} connects are blocked at the same time.
         *
         * @return whether they were within {@code timeout}
         */
        public synchronized boolean awaitBlocked(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (blocked < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** Connects blocked right now. */
        public synchronized int blockedNow() {
            return blocked;
        }

        /** Same as {@link StubDatabase#releaseHangingConnects()} when this is the hang in effect. */
        @Override
        public void close() {
            database.hang.compareAndSet(this, null);
            released.countDown();
        }

        private void block() throws SQLException {
            synchronized (this) {
                blocked++;
                notifyAll();
            }
            try {
                if (!released.await(HANG_LIMIT.toNanos(), NANOSECONDS)) {
                    throw new SQLException("stub: connect hung for " + HANG_LIMIT.toSeconds() + " s and gave up",
                            StubSupport.CONNECTION_REFUSED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("stub: connect interrupted while hanging", StubSupport.CONNECTION_REFUSED, e);
            } finally {
                synchronized (this) {
                    blocked--;
                }
            }
        }
    }
}
