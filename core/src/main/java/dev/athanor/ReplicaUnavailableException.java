package dev.athanor;

/**
 * A read-only transaction found no replica of its bind to run on (each was cooling down after a failure or too far
 * behind) and the factory was built with {@link ReplicaFallback#FAIL}. Nothing ran. The message names every replica
 * and why it was skipped; {@link SessionFactory#replicaStatus()} says the same.
 */
public class ReplicaUnavailableException extends AthanorException {
    private static final long serialVersionUID = 1L;

    public ReplicaUnavailableException(String message) {
        super(message);
    }
}
