package dev.athanor;

import java.sql.SQLException;
import java.util.List;

/**
 * The connection was lost while {@code COMMIT} was under way, so nobody on this side knows whether the transaction
 * committed: the server may have committed it just before the connection died, or not at all. It is a
 * {@link DisconnectionException} (the connection is discarded, and {@code catch (DisconnectionException e)} still sees
 * it), and {@link #sql()} is {@code COMMIT}, but unlike other disconnects it is not safe to rerun the unit of work:
 * that could apply it twice. A {@link RetryPolicy} never retries it, whatever its predicate says.
 *
 * <p>What to do: find out whether the work is there, idempotently — look for the row by a key the unit of work chose
 * itself (a client-generated id, an idempotency key), then redo only what is missing.
 *
 * <pre>{@code
 * try {
 *     engine.useTransaction(c -> c.execute("INSERT INTO orders(id, item) VALUES (:id, :item)", order));
 * } catch (CommitInDoubtException e) {
 *     boolean stored = engine.withConnection(c ->
 *             c.execute("SELECT count(*) FROM orders WHERE id = ?", order.get("id")).scalar(Long.class) == 1);
 *     // insert again only if !stored
 * }
 * }</pre>
 *
 * <p>In a session with several binds, a commit cut off on one bind after others committed, or while later binds were
 * then rolled back, is reported as a {@link PartialCommitException} whose {@link PartialCommitException#inDoubt()}
 * names the bind, with this exception as its cause.
 */
public class CommitInDoubtException extends DisconnectionException {
    private static final long serialVersionUID = 1L;

    public CommitInDoubtException(String message, List<String> bindNames, SQLException cause) {
        super(message, "COMMIT", bindNames, cause);
    }
}
