package dev.athanor;

/**
 * What happens when a {@link Session} or a {@link Connection} is garbage-collected without having been closed (a
 * leak). The leaked work is rolled back and its connections go back to the pool either way; this setting only
 * decides whether, and how loudly, that is reported. Set per engine with {@link EngineBuilder#leakDetection} (for
 * {@code engine.connect()}) and per session factory with {@link SessionFactoryBuilder#leakDetection} (for sessions).
 *
 * <pre>{@code
 * SessionFactory sessions = SessionFactory.builder().bind(engine)
 *         .leakDetection(LeakDetection.WARN_WITH_STACK)   // while hunting a leak: shows where it was opened
 *         .build();
 * }</pre>
 *
 * <p>Detection uses one {@link java.lang.ref.PhantomReference} per open session or connection, armed when it opens
 * and disarmed when it closes (plus a stack capture with {@link #WARN_WITH_STACK}, like HikariCP's leak detection),
 * and reports a leak only once the garbage collector has found it, which may be long after the fact.
 */
public enum LeakDetection {
    /** Not tracked: a leaked connection stays checked out until the JVM exits (the engine default). */
    OFF,
    /**
     * Tracked: a leak is logged at WARN on {@code dev.athanor.session} (sessions) or {@code dev.athanor.pool}
     * (connections) with the thread and time it was opened, then rolled back and returned (the session default).
     */
    WARN,
    /** As {@link #WARN}, and the log line carries the stack trace of where it was opened (costs a stack capture). */
    WARN_WITH_STACK
}
