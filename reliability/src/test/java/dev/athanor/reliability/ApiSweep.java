package dev.athanor.reliability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;

/**
 * Calls every public method of a public API type with bad arguments, one argument at a time: {@code null} for each
 * reference parameter, {@code -1} for each number, a negative {@link Duration}, {@code ""} for each string. Whatever
 * the method makes of it (a result, a documented Athanor exception, {@link IllegalArgumentException},
 * {@link IllegalStateException}, {@link IndexOutOfBoundsException} for an index), it must not be a
 * {@link NullPointerException} or any other exception escaping from inside. Only public API is called.
 *
 * <pre>{@code
 * ApiSweep.of(Engine.class, () -> engine, e -> { }).tests()   // dynamic tests, one per method and bad argument
 * }</pre>
 */
final class ApiSweep<T> {
    /** Outcomes a bad argument may have besides returning normally. */
    static final Set<Class<? extends Throwable>> CLEAR = Set.of(dev.athanor.AthanorException.class,
            IllegalArgumentException.class, IllegalStateException.class, IndexOutOfBoundsException.class,
            UnsupportedOperationException.class);

    private final Class<T> api;
    private final Supplier<? extends T> make;
    private final Consumer<? super T> cleanup;
    private final Set<String> skipped;
    private final Map<Class<?>, Object> samples = new java.util.HashMap<>();

    private ApiSweep(Class<T> api, Supplier<? extends T> make, Consumer<? super T> cleanup, Set<String> skipped) {
        this.api = api;
        this.make = make;
        this.cleanup = cleanup;
        this.skipped = skipped;
    }

    /** A good value for parameters of {@code type} that are not under test. */
    <V> ApiSweep<T> withSample(Class<V> type, V value) {
        samples.put(type, value);
        return this;
    }

    /** Good values for parameters of these types that are not under test. */
    ApiSweep<T> withSamples(Map<Class<?>, Object> values) {
        samples.putAll(values);
        return this;
    }

    /** Instance and static methods of {@code api}, called on fresh instances from {@code make}. */
    static <T> ApiSweep<T> of(Class<T> api, Supplier<? extends T> make, Consumer<? super T> cleanup,
                              String... skipped) {
        return new ApiSweep<>(api, make, cleanup, Set.of(skipped));
    }

    /** Static methods of {@code api} only. */
    static <T> ApiSweep<T> statics(Class<T> api, String... skipped) {
        return new ApiSweep<>(api, null, t -> { }, Set.of(skipped));
    }

    /** One dynamic test per method and bad argument. */
    List<DynamicTest> tests() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Method> methods = Arrays.stream(api.getMethods())
                .filter(m -> m.getDeclaringClass().getName().startsWith("dev.athanor"))
                .filter(m -> m.getParameterCount() > 0 && !m.isSynthetic() && !m.isBridge())
                .filter(m -> make != null || Modifier.isStatic(m.getModifiers()))
                .filter(m -> !skipped.contains(m.getName()))
                .sorted(Comparator.comparing(Method::toString))
                .collect(Collectors.toList());
        for (Method m : methods) {
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                for (Object bad : badValues(types[i])) {
                    Object[] args = new Object[types.length];
                    for (int j = 0; j < types.length; j++) {
                        args[j] = j == i ? bad : samples.containsKey(types[j]) ? samples.get(types[j])
                                : sample(types[j]);
                    }
                    String name = api.getSimpleName() + "." + m.getName() + describe(args, i);
                    tests.add(DynamicTest.dynamicTest(name, () -> call(m, args, name)));
                }
            }
        }
        return tests;
    }

    private void call(Method m, Object[] args, String name) {
        T target = Modifier.isStatic(m.getModifiers()) ? null : make.get();
        try {
            Object result = m.invoke(target, args);
            if (result instanceof AutoCloseable && result != target) {
                closeQuietly((AutoCloseable) result);
            }
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            boolean clear = CLEAR.stream().anyMatch(c -> c.isInstance(thrown));
            if (!clear || thrown.getMessage() == null || thrown.getMessage().isBlank()) {
                throw new AssertionError(name + " threw " + thrown + (clear ? " without a message" : "")
                        + "; expected a result, an Athanor exception or IllegalArgumentException with a clear message",
                        thrown);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name, e);
        } finally {
            if (target != null) {
                cleanup.accept(target);
            }
        }
    }

    private static List<Object> badValues(Class<?> type) {
        if (type == int.class) {
            return List.of(-1);
        }
        if (type == long.class) {
            return List.of(-1L);
        }
        if (type == String.class) {
            return Arrays.asList(null, "", "no_such_name");
        }
        if (type == Duration.class) {
            return Arrays.asList(null, Duration.ofSeconds(-1));
        }
        if (type.isPrimitive()) {
            return List.of();
        }
        return Arrays.asList((Object) null);
    }

    /** A good-enough value for the parameters not under test; null where no such value is known. */
    static Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == List.class || type == Collection.class) {
            return List.of();
        }
        if (type == Properties.class) {
            return new Properties();
        }
        if (type == Class.class) {
            return String.class;
        }
        if (type == Object.class) {
            return "x";
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return null;
    }

    private static String describe(Object[] args, int bad) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object a = args[i];
            String shown = a == null ? "null" : a instanceof String ? "\"" + a + "\"" : a.getClass().isArray()
                    ? "[]" : String.valueOf(a);
            sb.append(i == bad ? "*" + shown + "*" : shown);
        }
        return sb.append(')').toString();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a side product of the call under test
        }
    }
}
