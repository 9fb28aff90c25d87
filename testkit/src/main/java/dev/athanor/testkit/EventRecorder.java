package dev.athanor.testkit;

import dev.athanor.InvalidationReason;
import dev.athanor.PoolListener;
import dev.athanor.PoolStatus;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool's events as a normalized sequence (what happened, in order, without timings) and the meter values a metrics
 * library would compute from them and from {@code status()}: the same workload must give the same sequence and the
 * same meters on every backend. Physical closes are left out of the sequence: a backend may close a discarded
 * connection on a thread of its own, after the next event. The durations are kept apart, for the rules to check
 * against what they measured from outside.
 *
 * <p>Sequence entries: {@code connect}, {@code checkout}, {@code checkin}, {@code checkout_waited},
 * {@code checkout_timeout}, {@code connect_failure}, {@code invalidate:<reason tag>}, {@code invalidate_all}.
 */
final class EventRecorder implements PoolListener {
    private final List<String> sequence = new ArrayList<>();
    private final List<Long> connectNanos = new ArrayList<>();
    private final List<Long> checkoutNanos = new ArrayList<>();
    private final List<Long> heldNanos = new ArrayList<>();
    private final List<Long> waitedNanos = new ArrayList<>();
    private final List<Long> timeoutNanos = new ArrayList<>();
    private final List<Throwable> connectFailures = new ArrayList<>();
    private final Map<InvalidationReason, Integer> invalidations = new EnumMap<>(InvalidationReason.class);
    private int invalidateAll;

    @Override
    public synchronized void onConnect(Connection physical, long nanos) {
        sequence.add("connect");
        connectNanos.add(nanos);
    }

    @Override
    public synchronized void onCheckout(Connection pooled, long waitNanos) {
        sequence.add("checkout");
        checkoutNanos.add(waitNanos);
    }

    @Override
    public synchronized void onCheckin(Connection pooled, long held) {
        sequence.add("checkin");
        heldNanos.add(held);
    }

    @Override
    public synchronized void onCheckoutWaited(long waited) {
        sequence.add("checkout_waited");
        waitedNanos.add(waited);
    }

    @Override
    public synchronized void onCheckoutTimeout(long waited) {
        sequence.add("checkout_timeout");
        timeoutNanos.add(waited);
    }

    @Override
    public synchronized void onConnectFailure(Throwable failure) {
        sequence.add("connect_failure");
        connectFailures.add(failure);
    }

    @Override
    public synchronized void onInvalidate(Connection pooled, Throwable cause, InvalidationReason reason) {
        sequence.add("invalidate:" + reason.tag());
        invalidations.merge(reason, 1, Integer::sum);
    }

    @Override
    public synchronized void onInvalidateAll(Throwable cause) {
        sequence.add("invalidate_all");
        invalidateAll++;
    }

    /** The events so far, in order. */
    synchronized List<String> sequence() {
        return List.copyOf(sequence);
    }

    /** The events since the first {@code from} of them (for reading one step of a workload). */
    synchronized List<String> since(int from) {
        return List.copyOf(sequence.subList(from, sequence.size()));
    }

    synchronized int size() {
        return sequence.size();
    }

    synchronized List<Long> connectNanos() {
        return List.copyOf(connectNanos);
    }

    synchronized List<Long> checkoutNanos() {
        return List.copyOf(checkoutNanos);
    }

    synchronized List<Long> heldNanos() {
        return List.copyOf(heldNanos);
    }

    synchronized List<Long> waitedNanos() {
        return List.copyOf(waitedNanos);
    }

    synchronized List<Long> timeoutNanos() {
        return List.copyOf(timeoutNanos);
    }

    synchronized List<Throwable> connectFailures() {
        return Collections.unmodifiableList(new ArrayList<>(connectFailures));
    }

    /**
     * The meters: counters from the events (invalidations by reason, only the reasons that occurred) and gauges from
     * {@code status}, in a fixed order so that a difference reads at a glance.
     */
    synchronized Map<String, Integer> meters(PoolStatus status) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("connects", connectNanos.size());
        m.put("connect_failures", connectFailures.size());
        m.put("checkouts", checkoutNanos.size());
        m.put("checkins", heldNanos.size());
        m.put("waits", waitedNanos.size());
        m.put("timeouts", timeoutNanos.size());
        invalidations.forEach((reason, n) -> m.put("invalidations." + reason.tag(), n));
        m.put("invalidate_all", invalidateAll);
        m.putAll(gauges(status));
        return m;
    }

    /** The gauges of {@code status}: idle, used, waiting, max. */
    static Map<String, Integer> gauges(PoolStatus status) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("idle", status.checkedIn());
        m.put("used", status.checkedOut());
        m.put("waiting", status.waiting());
        m.put("max", status.max());
        return m;
    }

    /** An expected meter map from name/value pairs, in the order given. */
    static Map<String, Integer> expect(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }
}
