package dev.athanor.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The measured figures of a run (failures seen, time to heal, connections at the end…), one line per test case,
 * printed and appended to {@code target/reliability-figures.txt} so a run's numbers can be reported.
 *
 * <pre>{@code
 * Figures.of("restart", backend, db).put("failures", 3).put("healMillis", 41).record();
 * }</pre>
 */
final class Figures {
    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private final Map<String, Object> values = new LinkedHashMap<>();

    private Figures(String guarantee, String backend, Object database) {
        values.put("guarantee", guarantee);
        values.put("backend", backend);
        values.put("db", database);
        values.put("java", Runtime.version().feature());
    }

    static Figures of(String guarantee, String backend, Object database) {
        return new Figures(guarantee, backend, database);
    }

    Figures put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** Prints the line and appends it to the figures file. */
    void record() {
        StringJoiner line = new StringJoiner(" ");
        values.forEach((k, v) -> line.add(k + "=" + v));
        String text = line.toString();
        System.out.println("[figures] " + text);
        synchronized (Figures.class) {
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, text + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.out.println("[figures] cannot write " + FILE + ": " + e);
            }
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
