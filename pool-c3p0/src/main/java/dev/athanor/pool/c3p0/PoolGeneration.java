package dev.athanor.pool.c3p0;

import com.mchange.v2.c3p0.PoolBackedDataSource;
import com.mchange.v2.c3p0.impl.C3P0PooledConnectionPool;
import com.mchange.v2.c3p0.impl.C3P0PooledConnectionPoolManager;
import com.mchange.v2.c3p0.subst.C3P0Substitutions;
import com.mchange.v2.resourcepool.ResourcePool;
import com.mchange.v2.resourcepool.ResourcePoolException;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.PooledConnection;

/**
 * One c3p0 pool (the {@code C3P0PooledConnectionPool} of a {@code PoolBackedDataSource}'s pool manager) and the few
 * pieces of its resource pool the adapter must reach to enforce Athanor's rules. {@code dispose()} retires a
 * generation and the next checkout starts a fresh one.
 *
 * <p>Why reach into c3p0's {@code BasicResourcePool} at all: c3p0 keeps a sticky {@code target_pool_size} that only
 * its own idle culling lowers. Every other removal of a connection (marking it broken, a failed acquisition) makes
 * c3p0 open a replacement in the background, which would defeat lazy growth and the {@code poolSize} idle cap, and
 * c3p0 always hands out the most recently returned connection. So the adapter, holding the pool's own lock,
 * (1) sets the target to the connections that exist or are being opened before it removes one, (2) does the same
 * after a failed connect, and (3) moves a returned connection to the back of the idle list for FIFO reuse.
 *
 * <p>(4) A failed connect must fail only the checkouts waiting at that moment. c3p0 reports it by raising
 * {@code force_kill_acquires}: every checkout waiting for a connection wakes and fails, and the helper thread whose
 * connect failed lowers the flag once they have all left. Lowering it needs the pool's lock again, so on a busy
 * machine the failed checkout returns first, and a checkout starting before the helper thread gets the lock back is
 * refused at once ("the factory or source appears to be down") for a failure that is not its own. So a checkout
 * first waits, on the pool's own lock and condition, until the flag is down, and goes through that wait again if c3p0
 * still refuses it (another connect failed between the wait and c3p0 taking the lock). c3p0 signals nothing when it
 * lowers the flag; the helper thread then leaves {@code otherWaiters}, still holding the lock, so the adapter
 * replaces that set with one that signals the condition when a thread leaves it ({@link SignallingWaiters}).
 *
 * <p>(5) c3p0 hands an idle connection to whichever checkout takes the pool's lock first, so a checkout arriving
 * just after c3p0 opened a connection for a waiting one could take it. The waiting one then had nothing being opened
 * for it and waited for a checkin: forever if none came (c3p0 runs with no checkout timeout here), although the pool
 * had room. So a checkout also waits before entering c3p0 while an idle connection is about to go to a waiting
 * checkout ({@code acquireWaiters} is replaced by a signalling set too, so the wait ends when the waiting checkout
 * leaves it). Should a checkout still slip in between, then after every checkout, and in (1) and (2), the target
 * also covers waiting checkouts with neither an idle connection nor one being opened, within c3p0's maximum.
 *
 * <p>(6) c3p0 gives a returned connection to a waiting checkout, and the connection being opened for that checkout
 * then lands idle, past the idle cap that checkin applies. So the cap counts, besides the idle connections, those
 * being opened beyond what the waiting checkouts need ({@link #idleSoon()}).
 *
 * <p>These members are package-private in c3p0 0.14.x; if they are missing the backend refuses to start with a clear
 * message instead of silently behaving differently.
 */
final class PoolGeneration {
    private static final Method GET_POOL_MANAGER;
    private static final Field POOL_RP;
    private static final Class<?> BASIC_POOL;
    private static final Field LOCK;
    private static final Field CHANGED;
    private static final Field MANAGED;
    private static final Field UNUSED;
    private static final Field ACQUIRE_WAITERS;
    private static final Field OTHER_WAITERS;
    private static final Field TARGET;
    private static final Field PENDING_ACQUIRES;
    private static final Field FORCE_KILL_ACQUIRES;
    private static final Field MAX;
    private static final Method RECHECK_RESIZE;
    private static final String INTERNALS_PROBLEM;

    static {
        Field[] f = new Field[11];
        Method getPoolManager = null;
        Method recheck = null;
        Class<?> basicPool = null;
        String problem = null;
        try {
            getPoolManager = com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource.class
                    .getDeclaredMethod("getPoolManager");
            getPoolManager.setAccessible(true);
            f[0] = field(C3P0PooledConnectionPool.class, "rp", ResourcePool.class);
            basicPool = Class.forName("com.mchange.v2.resourcepool.BasicResourcePool", false,
                    ResourcePool.class.getClassLoader());
            f[1] = field(basicPool, "lockMain", ReentrantLock.class);
            f[2] = field(basicPool, "conditionSomethingChanged", Condition.class);
            f[3] = field(basicPool, "managed", HashMap.class);
            f[4] = field(basicPool, "unused", LinkedList.class);
            f[5] = field(basicPool, "acquireWaiters", HashSet.class);
            f[6] = field(basicPool, "otherWaiters", HashSet.class);
            f[7] = field(basicPool, "target_pool_size", int.class);
            f[8] = field(basicPool, "pending_acquires", int.class);
            f[9] = field(basicPool, "force_kill_acquires", boolean.class);
            f[10] = field(basicPool, "max", int.class);
            recheck = basicPool.getDeclaredMethod("_recheckResizePool");
            recheck.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = e.toString();
        }
        GET_POOL_MANAGER = getPoolManager;
        POOL_RP = f[0];
        BASIC_POOL = basicPool;
        LOCK = f[1];
        CHANGED = f[2];
        MANAGED = f[3];
        UNUSED = f[4];
        ACQUIRE_WAITERS = f[5];
        OTHER_WAITERS = f[6];
        TARGET = f[7];
        PENDING_ACQUIRES = f[8];
        FORCE_KILL_ACQUIRES = f[9];
        MAX = f[10];
        RECHECK_RESIZE = recheck;
        INTERNALS_PROBLEM = problem;
    }

    private final String name;
    private final C3P0PooledConnectionPool pool;
    private final ResourcePool rp;
    private final ReentrantLock lock;
    private final Condition changed;
    private final Map<?, ?> managed;
    private final LinkedList<Object> unused;
    private final Set<?> acquireWaiters;
    private volatile boolean retired;

    @SuppressWarnings("unchecked")
    private PoolGeneration(String name, C3P0PooledConnectionPool pool, ResourcePool rp) throws IllegalAccessException {
        this.name = name;
        this.pool = pool;
        this.rp = rp;
        this.lock = (ReentrantLock) LOCK.get(rp);
        this.changed = (Condition) CHANGED.get(rp);
        this.managed = (Map<?, ?>) MANAGED.get(rp);
        this.unused = (LinkedList<Object>) UNUSED.get(rp);
        this.acquireWaiters = (Set<?>) ACQUIRE_WAITERS.get(rp);
    }

    /** Starts (or finds) the data source's pool; this is where c3p0 starts its helper threads. */
    static PoolGeneration start(PoolBackedDataSource dataSource, String poolName) throws SQLException {
        if (INTERNALS_PROBLEM != null) {
            throw unsupported(poolName, INTERNALS_PROBLEM);
        }
        try {
            C3P0PooledConnectionPoolManager manager =
                    (C3P0PooledConnectionPoolManager) GET_POOL_MANAGER.invoke(dataSource);
            C3P0PooledConnectionPool pool = manager.getPool();
            ResourcePool rp = (ResourcePool) POOL_RP.get(pool);
            if (rp.getClass() != BASIC_POOL) {
                throw unsupported(poolName, "its resource pool is a " + rp.getClass().getName());
            }
            ReentrantLock lock = (ReentrantLock) LOCK.get(rp);
            Condition changed = (Condition) CHANGED.get(rp);
            SignallingWaiters.install(rp, OTHER_WAITERS, lock, changed);
            SignallingWaiters.install(rp, ACQUIRE_WAITERS, lock, changed);
            return new PoolGeneration(poolName, pool, rp);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException) {
                throw (SQLException) cause;
            }
            throw new IllegalStateException("[" + poolName + "] c3p0 could not start its pool", cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw unsupported(poolName, e.toString());
        }
    }

    private static Field field(Class<?> type, String name, Class<?> declared) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        if (f.getType() != declared) {
            throw new NoSuchFieldException(declared.getName() + " " + type.getName() + "." + name);
        }
        f.setAccessible(true);
        return f;
    }

    private static IllegalStateException unsupported(String poolName, String detail) {
        return new IllegalStateException("[" + poolName + "] athanor-pool-c3p0 needs c3p0 0.14.x (it enforces"
                + " poolSize and FIFO reuse through c3p0's resource pool), but c3p0 " + runtimeVersion()
                + " differs: " + detail);
    }

    /** The c3p0 version on the classpath (read at run time: the constant would be inlined at compile time). */
    static String runtimeVersion() {
        try {
            return String.valueOf(C3P0Substitutions.class.getField("VERSION").get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "(unknown version)";
        }
    }

    /**
     * Borrows a pooled connection; c3p0 opens one on a helper thread when none is idle. Enters c3p0 only once it is
     * done failing the checkouts that waited for an earlier failed connect and no idle connection is about to go to
     * a waiting checkout, and enters again if c3p0 refused it because another connect failed in between (see the
     * class comment, points 4 and 5).
     */
    PooledConnection checkout() throws SQLException {
        while (true) {
            awaitTurn();
            PooledConnection pc;
            try {
                pc = pool.checkoutPooledConnection();
            } catch (SQLException e) {
                if (!refusedForAnotherFailure(e)) {
                    throw e;
                }
                settleTarget();
                continue;
            }
            openForStrandedWaiters();
            return pc;
        }
    }

    /**
     * True when c3p0 refused the checkout on arrival because it was failing the checkouts waiting for a connect that
     * failed before this one arrived; a checkout waiting when that happened gets c3p0's
     * {@code CannotAcquireResourceException}, which carries the driver's error, instead.
     */
    private static boolean refusedForAnotherFailure(SQLException e) {
        Throwable cause = e.getCause();
        return cause != null && cause.getClass() == ResourcePoolException.class
                && String.valueOf(cause.getMessage()).startsWith("A ResourcePool cannot acquire a new resource");
    }

    /**
     * Waits while c3p0 is failing the checkouts that waited for a failed connect (point 4), or while a connection is
     * idle that a checkout waiting in c3p0 is about to take (point 5).
     */
    private void awaitTurn() throws SQLException {
        lock.lock();
        try {
            while (FORCE_KILL_ACQUIRES.getBoolean(rp) || !acquireWaiters.isEmpty() && !unused.isEmpty()) {
                changed.await();
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("[" + name + "] interrupted while waiting for a connection", e);
        } finally {
            lock.unlock();
        }
    }

    /** Idle connections held by this generation. */
    int idle() {
        try {
            return rp.getAvailableCount();
        } catch (ResourcePoolException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Idle connections plus those being opened that no checkout waiting in c3p0 will take: what the idle count is
     * heading for (point 6). A checkout c3p0 is failing right now takes nothing.
     */
    int idleSoon() {
        lock.lock();
        try {
            int waiting = FORCE_KILL_ACQUIRES.getBoolean(rp) ? 0 : acquireWaiters.size();
            return unused.size() + Math.max(0, PENDING_ACQUIRES.getInt(rp) - waiting);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Marks this generation as replaced by a newer one; a checkout that failed because of it may retry. */
    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    /**
     * Removes a borrowed connection from c3p0's books without letting c3p0 open a replacement, unless a checkout
     * waiting in c3p0 needs one; the caller closes the physical connection first, so that a replacement never takes
     * the count of open connections over the limit.
     */
    void forget(PooledConnection pc) {
        lock.lock();
        try {
            retarget(managed.size() - (managed.containsKey(pc) ? 1 : 0));
            rp.markBroken(pc); // c3p0 then opens what the target asks for
        } catch (IllegalAccessException | ResourcePoolException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** After a failed connect: the pool's target is again what exists or is being opened, so nothing extra opens. */
    void settleTarget() {
        lock.lock();
        try {
            retarget(managed.size());
            RECHECK_RESIZE.invoke(rp);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /** After a checkout that may have taken the connection c3p0 opened for a waiting one (point 5). */
    private void openForStrandedWaiters() {
        lock.lock();
        try {
            if (stranded(PENDING_ACQUIRES.getInt(rp)) > 0) {
                retarget(managed.size());
                RECHECK_RESIZE.invoke(rp);
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets c3p0's target to the {@code existing} connections, those being opened, and one for each stranded waiting
     * checkout, within c3p0's maximum. Holding the lock.
     */
    private void retarget(int existing) throws IllegalAccessException {
        int pending = PENDING_ACQUIRES.getInt(rp);
        int wanted = existing + pending + Math.max(0, stranded(pending));
        TARGET.setInt(rp, Math.min(MAX.getInt(rp), wanted));
    }

    /**
     * Checkouts waiting in c3p0 with neither an idle connection nor one being opened for them; none while c3p0 is
     * failing the waiting checkouts. Holding the lock.
     */
    private int stranded(int pending) throws IllegalAccessException {
        if (FORCE_KILL_ACQUIRES.getBoolean(rp)) {
            return 0;
        }
        return acquireWaiters.size() - unused.size() - pending;
    }

    /** Moves a just-returned idle connection from the front (c3p0 reuses the front first) to the back. */
    void moveToBack(PooledConnection pc) {
        lock.lock();
        try {
            if (unused.size() > 1 && unused.getFirst() == pc) {
                unused.removeFirst();
                unused.addLast(pc);
            }
        } finally {
            lock.unlock();
        }
    }
}
