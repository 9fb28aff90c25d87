package dev.athanor.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a benchmark reaches the pool: the native library directly, or through an Athanor engine. */
public enum Impl {
    /** The native pool's DataSource, plain JDBC. */
    RAW,
    /** An Athanor engine over the same backend, through Athanor's {@code Connection}. */
    ATHANOR;

    /** The value of a {@code @Param("impl")}; an unknown one fails with the valid names. */
    public static Impl of(String name) {
        for (Impl i : values()) {
            if (i.name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown impl '" + name + "'; valid: "
                + Arrays.stream(values()).map(Impl::label).collect(Collectors.joining(", ")));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
