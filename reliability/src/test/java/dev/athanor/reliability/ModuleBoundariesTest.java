package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's boundaries, checked on the sources of every module of the repository (found by walking it, so a module
 * added later is checked without being listed here): what third parties cannot use, Athanor's own modules do not use
 * either. A source scan rather than a class-path one, because this module does not depend on every module (web, the
 * examples, the benchmarks) and the reactor builds some of them after it.
 */
class ModuleBoundariesTest {
    /** {@code dev.athanor.internal} in code (comments removed), spaced or not: imports, static imports, full names. */
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\s*\\.\\s*athanor\\s*\\.\\s*internal\\b");
    /**
     * Reflection into private members, in code or comments: issue 13 asks that {@code grep -r setAccessible} over
     * every module's src/main finds nothing.
     */
    private static final Pattern PRIVATE_REFLECTION = Pattern.compile(
            "[sS]etAccessible|getDeclaredField|getDeclaredMethod|getDeclaredConstructor|privateLookupIn"
                    + "|sun\\.misc\\.Unsafe");
    /**
     * Packages of the native pools that are their implementation, not their API: HikariCP's {@code pool}
     * ({@code HikariPool}, reached by casting {@code getHikariPoolMXBean()}; the proxy connections), c3p0's
     * {@code impl} and the {@code resourcepool} under it (whose private fields the old adapter set).
     */
    private static final Pattern NATIVE_INTERNALS = Pattern.compile("\\bcom\\.zaxxer\\.hikari\\.pool\\b"
            + "|\\bcom\\.mchange\\.v2\\.c3p0\\.impl\\b|\\bcom\\.mchange\\.v2\\.resourcepool\\b");

    private static Path root;
    /** Module directory (relative to the root) → its main source files. */
    private static Map<String, List<Path>> sources;

    @BeforeAll
    static void scan() throws IOException {
        root = repositoryRoot(Path.of("").toAbsolutePath());
        sources = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return name.equals("target") || name.startsWith(".") && !dir.equals(root)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String rel = root.relativize(file).toString().replace('\\', '/');
                int main = rel.indexOf("/src/main/");
                if (main > 0 && (rel.endsWith(".java") && rel.contains("/src/main/java/")
                        || rel.contains("/src/main/resources/META-INF/services/"))) {
                    sources.computeIfAbsent(rel.substring(0, main), k -> new ArrayList<>()).add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Test
    @DisplayName("the scan sees every module of the parent POM, the nested examples among them")
    void theScanSeesEveryModule() throws IOException {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        List<String> declared = new ArrayList<>();
        while (m.find()) {
            String module = m.group(1).trim();
            if (Files.isDirectory(root.resolve(module).resolve("src/main"))) {
                declared.add(module);
            }
        }
        assertThat(declared).as("modules with main sources in %s", root.resolve("pom.xml"))
                .contains("core", "orm-mybatis", "examples/blog");
        assertThat(sources.keySet()).as("modules whose main sources were scanned").containsAll(declared);
        assertThat(sources.values().stream().mapToInt(List::size).sum()).as("main sources scanned")
                .isGreaterThan(100);
    }

    @Test
    @DisplayName("no module but core uses dev.athanor.internal in its main sources")
    void onlyCoreUsesInternal() {
        List<String> found = new ArrayList<>();
        sources.forEach((module, files) -> {
            if (!module.equals("core")) {
                files.forEach(f -> find(INTERNAL, f, withoutComments(read(f)), found));
            }
        });
        assertThat(found).as("dev.athanor.internal is core's own; what other modules need belongs in a public"
                + " package (dev.athanor.spi.support for adapters)").isEmpty();
    }

    @Test
    @DisplayName("no main source of any module reflects into private members (setAccessible, getDeclared*)")
    void noReflectionIntoPrivates() {
        List<String> found = new ArrayList<>();
        sources.values().forEach(files -> files.forEach(f -> find(PRIVATE_REFLECTION, f, read(f), found)));
        assertThat(found).as("adapters use the public API of the native pool only; declare a knob APPROXIMATE where"
                + " it cannot honour a rule").isEmpty();
    }

    @Test
    @DisplayName("no main source uses a native pool's implementation packages")
    void noNativePoolInternals() {
        List<String> found = new ArrayList<>();
        sources.values().forEach(files -> files.forEach(
                f -> find(NATIVE_INTERNALS, f, withoutComments(read(f)), found)));
        assertThat(found).as("adapters use the native pool's public API only (HikariDataSource, HikariPoolMXBean,"
                + " ComboPooledDataSource, PooledDataSource, BasicDataSource, …)").isEmpty();
    }

    /** The first directory from {@code start} upwards holding the parent POM and core's sources. */
    static Path repositoryRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isRegularFile(dir.resolve("core/src/main/java/dev/athanor/Engine.java"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml beside core/) above " + start);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each match as {@code path:line: text}. */
    private static void find(Pattern pattern, Path file, String text, List<String> found) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            found.add(root.relativize(file) + ":" + line + ": " + m.group());
        }
    }

    /**
     * Java source with its comments blanked (line breaks kept, so line numbers hold) and its string literals kept:
     * {@code Class.forName("dev.athanor.internal.…")} is a use too, a sentence in Javadoc is not.
     */
    static String withoutComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                src.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (c == '"' || c == '\'') {
                String quote = c == '"' && src.startsWith("\"\"\"", i) ? "\"\"\"" : String.valueOf(c);
                int j = i + quote.length();
                while (j < n && !src.startsWith(quote, j)) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + quote.length());
                out.append(src, i, j);
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    @DisplayName("the comment filter keeps code and strings and drops comments")
    void theCommentFilterKeepsCodeAndStrings() {
        String src = "import dev.athanor.internal.A; // dev.athanor.internal.B\n"
                + "/* dev.athanor.internal.C\n */ String s = \"// dev.athanor.internal.D\"; char q = '\"';\n"
                + "String t = \"\"\"\n  /* dev.athanor.internal.E */\n  \"\"\"; /** x */ int y;";
        String kept = withoutComments(src);
        assertThat(INTERNAL.matcher(kept).results().map(r -> kept.substring(r.end() + 1, r.end() + 2)))
                .containsExactly("A", "D", "E");
        assertThat(kept.lines().count()).isEqualTo(src.lines().count());
        assertThat(kept).contains("char q = '\"';").endsWith("int y;").doesNotContain("x */");
    }
}
