package dev.athanor.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The public types of Athanor's published API packages, found on the class path rather than listed by hand, so that
 * a type added later is swept with bad arguments without anyone remembering to add it.
 */
final class ApiScan {
    /** The packages users program against; {@code internal} and the pool adapters' packages are not API. */
    static final List<String> PACKAGES = List.of("dev.athanor", "dev.athanor.schema", "dev.athanor.spi",
            "dev.athanor.mybatis");

    private ApiScan() {
    }

    /** Every public class, interface, enum and record (nested ones too) of {@link #PACKAGES}, sorted by name. */
    static List<Class<?>> publicTypes() {
        List<Class<?>> types = new ArrayList<>();
        ClassLoader loader = ApiScan.class.getClassLoader();
        for (String pkg : PACKAGES) {
            for (String name : classNames(loader, pkg)) {
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    if (isPublicApi(type)) {
                        types.add(type);
                    }
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("listed but not loadable: " + name, e);
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return types;
    }

    /** Whether {@code type} declares a public instance method with parameters (one a bad argument can reach). */
    static boolean hasInstanceMethodsWithParameters(Class<?> type) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> !Modifier.isStatic(m.getModifiers())
                && m.getParameterCount() > 0 && m.getDeclaringClass().getName().startsWith("dev.athanor")
                && !isObjectLike(m));
    }

    private static boolean isObjectLike(Method m) {
        return m.getName().equals("equals") || m.getName().equals("compareTo");
    }

    private static boolean isPublicApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()
                || type.getSimpleName().equals("package-info")) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(ClassLoader loader, String pkg) {
        String path = pkg.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(path))) {
                String where = url.toString();
                if (where.contains("/test-classes/") || where.contains("-tests.jar")) {
                    continue; // test classes share the package names
                }
                if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                                .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - 6)));
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(path + "/") && n.endsWith(".class")
                                    && n.indexOf('/', path.length() + 1) < 0)
                            .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no classes found for package " + pkg + ": is its module on the test class"
                    + " path?");
        }
        return names;
    }
}
