package dev.athanor.internal.pool;

import dev.athanor.ConfigurationException;
import dev.athanor.spi.PoolProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link PoolProvider}s on the classpath, found once with {@link ServiceLoader}. */
public final class PoolProviders {
    private static volatile List<PoolProvider> cached;

    private PoolProviders() {
    }

    /** Every provider, highest priority first, then by name. */
    public static List<PoolProvider> all() {
        List<PoolProvider> list = cached;
        if (list == null) {
            list = load(PoolProviders.class.getClassLoader());
            cached = list;
        }
        return list;
    }

    static List<PoolProvider> load(ClassLoader loader) {
        TreeMap<String, PoolProvider> byName = new TreeMap<>();
        try {
            for (PoolProvider p : ServiceLoader.load(PoolProvider.class, loader)) {
                PoolProvider previous = byName.putIfAbsent(p.name(), p);
                if (previous != null && previous.getClass() != p.getClass()) {
                    throw new ConfigurationException("two pool providers are named '" + p.name() + "': "
                            + previous.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("a pool provider on the classpath could not be loaded: " + e.getMessage(),
                    e);
        }
        List<PoolProvider> list = new ArrayList<>(byName.values());
        list.sort(Comparator.comparingInt(PoolProvider::priority).reversed().thenComparing(PoolProvider::name));
        return List.copyOf(list);
    }

    /** The provider named {@code name}, or null. */
    public static PoolProvider find(String name) {
        for (PoolProvider p : all()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The provider used when none is named: the highest priority. */
    public static PoolProvider best() {
        return all().get(0);
    }

    /** Provider names, for error messages. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (PoolProvider p : all()) {
            names.add(p.name());
        }
        return names;
    }
}
