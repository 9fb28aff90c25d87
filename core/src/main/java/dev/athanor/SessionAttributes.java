package dev.athanor;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Per-session state extensions attach ({@link Session#attribute(Class, Supplier)}); created on first use. A session
 * usually carries one extension's attribute (MyBatis's, Hibernate's), so the first one is kept in two fields and a
 * map is made only for a second: no hashing and no map per session in the common case.
 */
final class SessionAttributes {
    private Class<?> firstKey;
    private Object firstValue;
    private Map<Class<?>, Object> more;

    <T> T get(Class<T> key, Supplier<? extends T> ifAbsent) {
        Object value = lookup(key);
        if (value == null) {
            value = key.cast(Objects.requireNonNull(ifAbsent.get(), "the attribute supplier returned null"));
            if (firstKey == null || firstKey == key) {
                firstKey = key;
                firstValue = value;
            } else {
                if (more == null) {
                    more = new HashMap<>(4);
                }
                more.put(key, value);
            }
        }
        return key.cast(value);
    }

    <T> Optional<T> get(Class<T> key) {
        return Optional.ofNullable(key.cast(lookup(key)));
    }

    /** The attribute stored under {@code type}, else the first one that is a {@code type}; null when none is. */
    <T> T find(Class<T> type) {
        Object exact = lookup(type);
        if (exact != null) {
            return type.cast(exact);
        }
        if (type.isInstance(firstValue)) {
            return type.cast(firstValue);
        }
        if (more != null) {
            for (Object value : more.values()) {
                if (type.isInstance(value)) {
                    return type.cast(value);
                }
            }
        }
        return null;
    }

    private Object lookup(Class<?> key) {
        if (key == firstKey) {
            return firstValue;
        }
        return more == null ? null : more.get(key);
    }
}
