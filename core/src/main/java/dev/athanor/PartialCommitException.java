package dev.athanor;

import java.util.List;

/**
 * A session's commit over several binds ended with the databases out of step: one bind's commit failed after earlier
 * binds had committed, or one bind's commit was cut off (its outcome is in doubt, see {@link CommitInDoubtException})
 * and the binds after it were rolled back. Athanor does not use distributed (XA) transactions, so what committed
 * stays committed, and this exception says exactly how things stand on each bind: {@link #committed()},
 * {@link #inDoubt()} (may or may not have committed), the {@link #failed()} bind, and {@link #rolledBack()}. Its cause
 * is the failed commit's exception.
 *
 * <p>Never retried by a {@link RetryPolicy}: running the unit of work again would repeat what already committed.
 */
public class PartialCommitException extends AthanorException {
    private static final long serialVersionUID = 1L;

    private final List<String> committed;
    private final String failed;
    private final List<String> inDoubt;
    private final List<String> rolledBack;

    /** A commit that failed on bind {@code failed} (which did not commit) after the {@code committed} binds had. */
    public PartialCommitException(String sessionName, List<String> committed, String failed, List<String> rolledBack,
                                  Throwable cause) {
        this(sessionName, committed, failed, false, rolledBack, cause);
    }

    /**
     * A commit that failed on bind {@code failed}; when {@code failedInDoubt} its COMMIT was cut off, so it may have
     * committed (see {@link CommitInDoubtException}).
     */
    public PartialCommitException(String sessionName, List<String> committed, String failed, boolean failedInDoubt,
                                  List<String> rolledBack, Throwable cause) {
        super(message(sessionName, committed, failed, failedInDoubt, rolledBack, cause), cause);
        this.committed = List.copyOf(committed);
        this.failed = failed;
        this.inDoubt = failedInDoubt ? List.of(failed) : List.of();
        this.rolledBack = List.copyOf(rolledBack);
    }

    private static String message(String sessionName, List<String> committed, String failed, boolean inDoubt,
                                  List<String> rolledBack, Throwable cause) {
        StringBuilder m = new StringBuilder(256).append('[').append(sessionName).append("] ");
        if (inDoubt) {
            m.append("commit of bind '").append(failed).append("' is in doubt (the connection was lost during its"
                    + " COMMIT: it may or may not have committed)");
            if (!committed.isEmpty()) {
                m.append(" after bind(s) ").append(committed).append(" had committed");
            }
        } else {
            m.append("commit failed on bind '").append(failed).append("' after bind(s) ").append(committed)
                    .append(" had committed");
        }
        m.append("; bind(s) ").append(rolledBack).append(" were rolled back. There is no distributed (XA)"
                + " transaction, so the committed binds stay committed: reconcile them");
        if (inDoubt) {
            m.append(", checking first whether bind '").append(failed).append("' has the work");
        }
        return m.append(". Cause: ").append(cause == null ? "unknown" : cause.getMessage()).toString();
    }

    /** The binds that committed, in commit order. */
    public List<String> committed() {
        return committed;
    }

    /** The bind whose commit failed (or was cut off: see {@link #inDoubt()}). */
    public String failed() {
        return failed;
    }

    /**
     * The bind whose COMMIT was cut off by a lost connection, so it may or may not have committed: {@link #failed()},
     * or empty when that commit certainly failed.
     */
    public List<String> inDoubt() {
        return inDoubt;
    }

    /** The binds after the failed one, rolled back (never committed). */
    public List<String> rolledBack() {
        return rolledBack;
    }
}
