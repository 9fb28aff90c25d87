package dev.athanor.testkit;

import dev.athanor.PoolListener;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The engine's view of a pool, from its events: every physical connect and close (which the engine reports for every
 * backend, because backends open connections only through the engine's ConnectionSource), every checkout, checkin and
 * invalidation, the peaks, and the physical connections open now.
 */
final class Probe implements PoolListener {
    private static final int MAX_EVENTS = 10_000;

    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger checkouts = new AtomicInteger();
    private final AtomicInteger checkins = new AtomicInteger();
    private final AtomicInteger invalidations = new AtomicInteger();
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final AtomicInteger borrowedNow = new AtomicInteger();
    /** Borrowed pooled connections and how many borrowers hold each (a StaticPool lends one to several). */
    private final IdentityHashMap<Connection, Integer> borrowed = new IdentityHashMap<>();
    private final AtomicInteger peakBorrowed = new AtomicInteger();
    private final Set<Connection> open =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Set<Connection> everOpened =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<Connection> onPhysicalConnect;

    /** {@code onPhysicalConnect} runs on each new physical connection (the MariaDB server view records its id). */
    Probe(Consumer<Connection> onPhysicalConnect) {
        this.onPhysicalConnect = onPhysicalConnect;
    }

    @Override
    public void onConnect(Connection physical) {
        onPhysicalConnect.accept(physical);
        connects.incrementAndGet();
        open.add(physical);
        everOpened.add(physical);
        peakOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
        event("connect");
    }

    @Override
    public void onCheckout(Connection pooled) {
        checkouts.incrementAndGet();
        synchronized (borrowed) {
            borrowed.merge(pooled, 1, Integer::sum);
        }
        peakBorrowed.accumulateAndGet(borrowedNow.incrementAndGet(), Math::max);
        event("checkout");
    }

    @Override
    public void onCheckin(Connection pooled) {
        checkins.incrementAndGet();
        returned(pooled);
        event("checkin");
    }

    @Override
    public void onInvalidate(Connection pooled, Throwable cause) {
        invalidations.incrementAndGet();
        // A borrower's connection invalidated is not coming back; one replaced during a checkout was never borrowed.
        returned(pooled);
        event("invalidate");
    }

    @Override
    public void onClose(Connection physical) {
        closes.incrementAndGet();
        open.remove(physical);
        openNow.decrementAndGet();
        event("close");
    }

    private void returned(Connection pooled) {
        synchronized (borrowed) {
            Integer n = borrowed.get(pooled);
            if (n == null) {
                return;
            }
            if (n == 1) {
                borrowed.remove(pooled);
            } else {
                borrowed.put(pooled, n - 1);
            }
        }
        borrowedNow.decrementAndGet();
    }

    private void event(String name) {
        if (events.size() < MAX_EVENTS) {
            events.add(name);
        }
    }

    int connects() {
        return connects.get();
    }

    int closes() {
        return closes.get();
    }

    int checkouts() {
        return checkouts.get();
    }

    int checkins() {
        return checkins.get();
    }

    int invalidations() {
        return invalidations.get();
    }

    /** Physical connections open now, as the engine saw them open and close. */
    int openNow() {
        return openNow.get();
    }

    int peakOpen() {
        return peakOpen.get();
    }

    /** Connections borrowed now, as the engine handed them out and took them back. */
    int borrowedNow() {
        return borrowedNow.get();
    }

    int peakBorrowed() {
        return peakBorrowed.get();
    }

    /** The physical connections open now. */
    Set<Connection> openPhysicals() {
        synchronized (open) {
            return Collections.unmodifiableSet(copy(open));
        }
    }

    /** True when {@code physical} is one the engine's ConnectionSource opened for this pool. */
    boolean opened(Object physical) {
        return everOpened.contains(physical);
    }

    boolean isOpen(Connection physical) {
        return open.contains(physical);
    }

    /** Event names in order: connect, checkout, checkin, invalidate, close. */
    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** A one-line summary for failure messages. */
    String summary() {
        return "engine saw " + connects() + " connects, " + closes() + " closes, " + openNow() + " open now (peak "
                + peakOpen() + "), " + checkouts() + " checkouts, " + checkins() + " checkins, " + invalidations()
                + " invalidations";
    }

    private static Set<Connection> copy(Set<Connection> s) {
        Set<Connection> c = Collections.newSetFromMap(new IdentityHashMap<>());
        c.addAll(s);
        return c;
    }
}
