package dev.athanor.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.hibernate.example.User;
import dev.athanor.testing.TestDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Hibernate section is compiled code: each {@code <!-- compiled: ... -->} marker in README.md is followed
 * by a Java block identical to a marked region of a test source ({@link ReadmeExample}, the example entity), and the
 * example runs.
 */
class ReadmeExampleTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path TEST_SOURCES = Path.of("src", "test", "java", "dev", "athanor", "hibernate");

    @Test
    void theReadmesEntityIsTheCompiledOne() throws IOException {
        assertThat(readmeBlock("orm-hibernate entity"))
                .isEqualTo(region(TEST_SOURCES.resolve("example/User.java"), "entity") + "}\n");
    }

    @Test
    void theReadmesUnitsOfWorkAreTheCompiledOnes() throws IOException {
        assertThat(readmeBlock("orm-hibernate units")).isEqualTo(region(TEST_SOURCES.resolve("ReadmeExample.java"),
                "units"));
    }

    @Test
    void theReadmeExampleRuns() {
        try (HibernateDatabases dbs = new HibernateDatabases(TestDatabase.H2, "hikari")) {
            User ann = ReadmeExample.units(dbs.users, dbs.blogs);
            assertThat(ann.getName()).isEqualTo("Ann");
            assertThat(ann.getEmail()).isEqualTo("ann@example.org");
            assertThat(dbs.blogs()).as("the removal was rolled back to the savepoint").isEqualTo(1);
        }
    }

    /** The Java block after {@code <!-- compiled: name -->} in README.md. */
    private static String readmeBlock(String name) throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        int marker = lines.indexOf("<!-- compiled: " + name + " -->");
        assertThat(marker).as("README.md has the marker for " + name).isNotNegative();
        assertThat(lines.get(marker + 1)).isEqualTo("```java");
        StringBuilder sb = new StringBuilder();
        for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
            sb.append(lines.get(i)).append('\n');
        }
        return sb.toString();
    }

    /** The lines between {@code // README-BEGIN name} and {@code // README-END}, their common indent removed. */
    private static String region(Path source, String name) throws IOException {
        List<String> region = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
            if (line.trim().startsWith("// README-BEGIN " + name)) {
                in = true;
            } else if (in && line.trim().equals("// README-END")) {
                break;
            } else if (in) {
                region.add(line);
            }
        }
        assertThat(region).as(source + " has the region " + name).isNotEmpty();
        int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder sb = new StringBuilder();
        region.forEach(l -> sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return sb.toString();
    }
}
