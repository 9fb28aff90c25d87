package dev.athanor;

/** {@code Result.one()} or {@code oneOrNull()} found more than one row. */
public class MultipleResultsException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public MultipleResultsException(String message) {
        super(message);
    }
}
