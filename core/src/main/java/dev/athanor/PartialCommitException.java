package dev.athanor;

import java.util.List;

/**
 * A session's commit failed on one bind after one or more earlier binds had committed. Athanor does not use
 * distributed (XA) transactions, so what committed stays committed: the databases are now out of step, and this
 * exception says exactly how. The binds after the failed one were rolled back. Its cause is the failed commit.
 * Never retried by a {@link RetryPolicy}: running the unit of work again would repeat what already committed.
 */
public class PartialCommitException extends AthanorException {
    private static final long serialVersionUID = 1L;

    private final List<String> committed;
    private final String failed;
    private final List<String> rolledBack;

    public PartialCommitException(String sessionName, List<String> committed, String failed, List<String> rolledBack,
                                  Throwable cause) {
        super("[" + sessionName + "] commit failed on bind '" + failed + "' after bind(s) " + committed
                + " had committed; bind(s) " + rolledBack + " were rolled back. There is no distributed (XA)"
                + " transaction, so the committed binds stay committed: reconcile them. Cause: "
                + (cause == null ? "unknown" : cause.getMessage()), cause);
        this.committed = List.copyOf(committed);
        this.failed = failed;
        this.rolledBack = List.copyOf(rolledBack);
    }

    /** The binds that committed, in commit order. */
    public List<String> committed() {
        return committed;
    }

    /** The bind whose commit failed. */
    public String failed() {
        return failed;
    }

    /** The binds after the failed one, rolled back (never committed). */
    public List<String> rolledBack() {
        return rolledBack;
    }
}
