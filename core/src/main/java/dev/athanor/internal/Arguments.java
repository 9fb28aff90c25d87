package dev.athanor.internal;

/**
 * Argument checks at the public API's edge: a bad argument is the caller's mistake and gets an
 * {@link IllegalArgumentException} that names it, never a {@link NullPointerException} from somewhere inside.
 */
public final class Arguments {
    private Arguments() {
    }

    /**
     * Returns {@code value}, or throws {@code IllegalArgumentException("<name> must not be null")}.
     *
     * <pre>{@code
     * this.callback = Arguments.notNull(callback, "callback");
     * }</pre>
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Returns {@code values}, or throws naming the array or its first null element ({@code elements[2]}). */
    public static <T> T[] noNulls(T[] values, String name) {
        notNull(values, name);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be null");
            }
        }
        return values;
    }
}
