package dev.athanor.example.blog.services;

/** A refusal with the HTTP status it maps to (400, 404, 409); the route writes it as {@code {"error": ...}}. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** A refusal answered with {@code status} and {@code message}. */
    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
