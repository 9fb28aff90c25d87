package dev.athanor;

/**
 * Statement events of one engine, for tracing and slow-query logs: {@link #beforeStatement} just before a statement
 * is sent, {@link #afterStatement} once it has run or failed — for statements run through {@link Connection} (and so
 * through sessions) and through the MyBatis and Hibernate modules alike. The same {@link StatementEvent} is passed to
 * both calls (use it as a key to match them); before {@code afterStatement} it has no duration yet.
 *
 * <p>Listeners run on the statement's thread and must be quick. An exception from a listener is logged at WARN on
 * {@code dev.athanor.sql} and ignored; an {@link Error} propagates (after the statement's own outcome is settled).
 *
 * <pre>{@code
 * engine.addStatementListener(new StatementListener() {
 *     public void afterStatement(StatementEvent s) {
 *         timer.record(s.elapsedNanos(), TimeUnit.NANOSECONDS);
 *     }
 * });
 * }</pre>
 */
public interface StatementListener {
    /** A statement is about to be sent. */
    default void beforeStatement(StatementEvent statement) {
    }

    /** A statement ran ({@link StatementEvent#failure()} is null) or failed. */
    default void afterStatement(StatementEvent statement) {
    }
}
