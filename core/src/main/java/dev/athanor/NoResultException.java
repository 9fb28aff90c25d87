package dev.athanor;

/** {@code Result.one()} or {@code scalar()} found no row where exactly one was required. */
public class NoResultException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public NoResultException(String message) {
        super(message);
    }
}
