package dev.athanor.hibernate;

import dev.athanor.testing.TestDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the batch test reports its times: standard output and {@code target/hibernate-batch-times.txt}. */
final class BatchTimes {
    private static final Path FILE = Path.of("target", "hibernate-batch-times.txt");

    private BatchTimes() {
    }

    static synchronized void record(TestDatabase db, String backend, int rows, int batchSize, long millis) {
        String line = String.format("Hibernate insert of %d entities (hibernate.jdbc.batch_size=%d), %s on %s: %d ms"
                + " (flush and commit included)%n", rows, batchSize, db, backend, millis);
        System.out.print(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not write " + FILE + ": " + e);
        }
    }
}
