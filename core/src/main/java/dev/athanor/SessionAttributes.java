package dev.athanor;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** Per-session state extensions attach ({@link Session#attribute(Class, Supplier)}); created on first use. */
final class SessionAttributes {
    private Map<Class<?>, Object> values;

    <T> T get(Class<T> key, Supplier<? extends T> ifAbsent) {
        if (values == null) {
            values = new HashMap<>(4);
        }
        Object value = values.get(key);
        if (value == null) {
            value = key.cast(Objects.requireNonNull(ifAbsent.get(), "the attribute supplier returned null"));
            values.put(key, value);
        }
        return key.cast(value);
    }

    <T> Optional<T> get(Class<T> key) {
        return values == null ? Optional.empty() : Optional.ofNullable(key.cast(values.get(key)));
    }

    /** The attribute stored under {@code type}, else the first one that is a {@code type}; null when none is. */
    <T> T find(Class<T> type) {
        if (values == null) {
            return null;
        }
        Object exact = values.get(type);
        if (exact != null) {
            return type.cast(exact);
        }
        for (Object value : values.values()) {
            if (type.isInstance(value)) {
                return type.cast(value);
            }
        }
        return null;
    }
}
