package dev.athanor;

/**
 * Root of every exception Athanor throws. All are unchecked: a data-access failure is not something a caller
 * can usually recover from at the call site, and transaction blocks ({@code inTransaction}) rethrow them as-is.
 */
public class AthanorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AthanorException(String message) {
        super(message);
    }

    public AthanorException(String message, Throwable cause) {
        super(message, cause);
    }
}
