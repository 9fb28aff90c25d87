package dev.athanor.schema;

import dev.athanor.ConfigurationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks shared by the constraint classes. */
final class Names {
    private Names() {
    }

    /** A non-empty list of non-blank, distinct (ignoring case) column names. */
    static List<String> columns(String what, List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new ConfigurationException(what + " needs at least one column");
        }
        List<String> out = new ArrayList<>(columns.size());
        Set<String> seen = new HashSet<>();
        for (String c : columns) {
            Identifiers.require(what + " column", c);
            if (!seen.add(c.toLowerCase(Locale.ROOT))) {
                throw new ConfigurationException(what + " lists column '" + c + "' twice: " + columns);
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    /**
     * {@code columns} as a list for {@link #columns(String, List)}, which then names what is wrong: {@code List.of}
     * would throw a bare NullPointerException for a null array or a null element.
     */
    static List<String> asList(String[] columns) {
        return columns == null ? null : Arrays.asList(columns);
    }

    /** {@code (a, b)}. */
    static String list(List<String> columns) {
        return "(" + String.join(", ", columns) + ")";
    }
}
