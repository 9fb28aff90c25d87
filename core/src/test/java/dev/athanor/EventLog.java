package dev.athanor;


import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PoolListener} that records event names in order ({@code connect}, {@code checkout}, {@code checkin},
 * {@code invalidate}, {@code close}), for tests that assert on pool events.
 */
public final class EventLog implements PoolListener {
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** The events so far, oldest first (a live, thread-safe view). */
    public List<String> events() {
        return events;
    }

    /** How many times {@code event} was recorded. */
    public long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    @Override
    public void onConnect(java.sql.Connection physical) {
        events.add("connect");
    }

    @Override
    public void onCheckout(java.sql.Connection pooled) {
        events.add("checkout");
    }

    @Override
    public void onCheckin(java.sql.Connection pooled) {
        events.add("checkin");
    }

    @Override
    public void onInvalidate(java.sql.Connection pooled, Throwable cause) {
        events.add("invalidate");
    }

    @Override
    public void onClose(java.sql.Connection physical) {
        events.add("close");
    }
}
