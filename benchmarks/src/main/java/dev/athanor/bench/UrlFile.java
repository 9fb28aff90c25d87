package dev.athanor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Hands a database URL to JMH's forked JVMs without putting it on their command line (JMH prints and records the
 * JVM arguments; the URL may hold a password): an owner-only temporary file, deleted when this JVM exits, named by
 * {@code -Dathanor.bench.urlFile} (read by {@link BenchDatabase#configuredUrl()}).
 */
final class UrlFile {
    private UrlFile() {
    }

    static Path write(String url) throws IOException {
        Path file;
        try {
            file = Files.createTempFile("athanor-bench-url", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile("athanor-bench-url", ".txt");
        }
        file.toFile().deleteOnExit();
        Files.writeString(file, url, StandardCharsets.UTF_8);
        return file;
    }
}
