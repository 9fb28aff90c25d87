package dev.athanor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Names for positional binds in messages: {@code ?1, ?2, …}; shared lists for the common small counts. */
final class PositionalNames {
    private static final List<List<String>> CACHE = new ArrayList<>();

    static {
        for (int n = 0; n <= 16; n++) {
            CACHE.add(build(n));
        }
    }

    private PositionalNames() {
    }

    static List<String> of(int count) {
        return count < CACHE.size() ? CACHE.get(count) : build(count);
    }

    private static List<String> build(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            names.add("?" + i);
        }
        return Collections.unmodifiableList(names);
    }
}
