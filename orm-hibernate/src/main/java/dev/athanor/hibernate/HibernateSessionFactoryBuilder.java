package dev.athanor.hibernate;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;

/**
 * Builds a {@link HibernateSessionFactory}. Setters only record; {@link #build()} makes one Hibernate session factory
 * per bind with entities, and reports every problem in one {@link ConfigurationException}.
 *
 * <pre>{@code
 * HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions)
 *         .entity(User.class)                                  // default bind
 *         .entity(Blog.class, "blogs")                         // a named bind: its own database
 *         .property("hibernate.jdbc.batch_size", 50)           // any Hibernate setting, on every bind
 *         .savepointPolicy(SavepointPolicy.REFRESH)            // default CLEAR
 *         .build();
 * }</pre>
 */
public final class HibernateSessionFactoryBuilder {
    /** Settings that would give Hibernate connections or transactions of its own: Athanor provides both. */
    private static final Set<String> OWNED = Set.of("hibernate.connection.provider_class",
            "hibernate.connection.datasource", "hibernate.connection.url", "jakarta.persistence.jdbc.url",
            "jakarta.persistence.nonJtaDataSource", "jakarta.persistence.jtaDataSource",
            "jakarta.persistence.transactionType", "hibernate.transaction.coordinator_class");
    /** Second-level and query cache switches, refused when turned on. */
    private static final Set<String> CACHE = Set.of("hibernate.cache.use_second_level_cache",
            "hibernate.cache.use_query_cache");

    private final SessionFactory sessions;
    private final Map<Class<?>, List<String>> entities = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private SavepointPolicy savepointPolicy = SavepointPolicy.CLEAR;
    private BiConsumer<String, String> connectionCalls;

    HibernateSessionFactoryBuilder(SessionFactory sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** Registers an entity class ({@code @Entity}) on the default bind. */
    public HibernateSessionFactoryBuilder entity(Class<?> type) {
        return entity(type, Session.DEFAULT_BIND);
    }

    /** Registers an entity class on the named bind: its rows live in that bind's database. */
    public HibernateSessionFactoryBuilder entity(Class<?> type, String bind) {
        if (type == null) {
            problems.add("entity type must not be null");
        } else if (type.getAnnotation(jakarta.persistence.Entity.class) == null
                && type.getAnnotation(jakarta.persistence.Embeddable.class) == null
                && type.getAnnotation(jakarta.persistence.MappedSuperclass.class) == null) {
            problems.add(type.getName() + " is not an @Entity, @Embeddable or @MappedSuperclass");
        } else if (type.getAnnotation(jakarta.persistence.Cacheable.class) != null
                && type.getAnnotation(jakarta.persistence.Cacheable.class).value()
                || type.getAnnotation(org.hibernate.annotations.Cache.class) != null) {
            problems.add("entity " + type.getName() + " asks for the second-level cache (@Cacheable or @Cache),"
                    + " which Athanor sessions do not support: a cached entity could outlive a rolled-back savepoint"
                    + " or a partial commit. Remove the annotation");
        } else if (checkBind(bind, "entity " + type.getName())) {
            List<String> on = entities.computeIfAbsent(type, t -> new ArrayList<>(1));
            if (!on.contains(bind)) {
                on.add(bind);
            }
        }
        return this;
    }

    /**
     * A Hibernate setting ({@code hibernate.jdbc.batch_size}, {@code hibernate.order_inserts},
     * {@code hibernate.dialect}, ...) on every bind. Settings that give Hibernate its own connections or transactions
     * are refused (Athanor provides them), and so is turning on the second-level or query cache:
     * entities cached across transactions could hold what a rolled-back savepoint or a partial commit left behind.
     */
    public HibernateSessionFactoryBuilder property(String key, Object value) {
        if (key == null || key.isBlank() || value == null) {
            problems.add("property(key, value) needs both, was (" + key + ", " + value + ")");
        } else if (OWNED.contains(key)) {
            problems.add("Hibernate setting '" + key + "' is not allowed: Athanor provides the connections and owns"
                    + " the transaction (set connection options on the engine)");
        } else if (CACHE.contains(key) && !"false".equalsIgnoreCase(String.valueOf(value))
                || key.equals("hibernate.cache.region.factory_class")) {
            problems.add("Hibernate setting '" + key + "' = '" + value + "' is not allowed: the second-level and"
                    + " query caches are not supported inside Athanor sessions (a cached entity could outlive a"
                    + " rolled-back savepoint or a partial commit)");
        } else {
            properties.put(key, value);
        }
        return this;
    }

    /** What a rollback to a savepoint does to managed entities; default {@link SavepointPolicy#CLEAR}. */
    public HibernateSessionFactoryBuilder savepointPolicy(SavepointPolicy policy) {
        if (policy == null) {
            problems.add("savepointPolicy must be one of " + List.of(SavepointPolicy.values()) + ", was null");
        } else {
            this.savepointPolicy = policy;
        }
        return this;
    }

    /** Test hook: told of every JDBC method a Hibernate session calls on its connection (bind, method name). */
    HibernateSessionFactoryBuilder connectionCalls(BiConsumer<String, String> calls) {
        this.connectionCalls = calls;
        return this;
    }

    private boolean checkBind(String bind, String what) {
        List<String> binds = sessions.bindNames();
        if (bind != null && binds.contains(bind)) {
            return true;
        }
        if (Session.DEFAULT_BIND.equals(bind)) {
            problems.add(what + " has no bind name, and session factory '" + sessions.name() + "' has no default"
                    + " bind; name one of its binds " + binds);
        } else {
            problems.add(what + " is bound to " + (bind == null ? "null" : "'" + bind + "'") + ", which is not a bind"
                    + " of session factory '" + sessions.name() + "'; its binds are " + binds);
        }
        return false;
    }

    /**
     * Makes the factory: one Hibernate session factory per bind with entities, each reading its database's metadata
     * through one connection of the bind's engine.
     *
     * @throws ConfigurationException listing every problem found
     */
    public HibernateSessionFactory build() {
        List<String> all = new ArrayList<>(problems);
        if (entities.isEmpty() && all.isEmpty()) {
            all.add("no entity registered; register one with entity(Type.class) or entity(Type.class, bind)");
        }
        if (!all.isEmpty()) {
            throw new ConfigurationException("Invalid Hibernate configuration: ", all);
        }
        List<String> binds = sessions.bindNames();
        org.hibernate.SessionFactory[] factories = new org.hibernate.SessionFactory[binds.size()];
        try {
            for (int i = 0; i < factories.length; i++) {
                factories[i] = hibernate(binds.get(i), all);
            }
        } catch (RuntimeException e) {
            closeAll(factories);
            throw e;
        }
        if (!all.isEmpty()) {
            closeAll(factories);
            throw new ConfigurationException("Invalid Hibernate configuration: ", all);
        }
        Map<Class<?>, List<String>> registered = new LinkedHashMap<>();
        entities.forEach((type, on) -> registered.put(type, List.copyOf(on)));
        SessionFactory withSync = sessions.toBuilder().listener(new HibernateSync()).build();
        return new HibernateSessionFactory(withSync, factories, Collections.unmodifiableMap(registered),
                savepointPolicy, connectionCalls);
    }

    private org.hibernate.SessionFactory hibernate(String bind, List<String> problems) {
        List<Class<?>> types = new ArrayList<>();
        entities.forEach((type, on) -> {
            if (on.contains(bind)) {
                types.add(type);
            }
        });
        if (types.isEmpty()) {
            return null;
        }
        Engine engine = sessions.engine(bind);
        StandardServiceRegistryBuilder registry = new StandardServiceRegistryBuilder()
                .applySettings(properties)
                .applySetting("hibernate.connection.provider_class", new EngineConnectionProvider(engine))
                .applySetting("hibernate.transaction.coordinator_class",
                        new AthanorTransactions(engine, sessions.name()))
                .applySetting("hibernate.cache.use_second_level_cache", false)
                .applySetting("hibernate.cache.use_query_cache", false);
        StandardServiceRegistry services = registry.build();
        try {
            MetadataSources sources = new MetadataSources(services);
            types.forEach(sources::addAnnotatedClass);
            return sources.buildMetadata().buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(services);
            problems.add("bind '" + bind + "' (entities " + types.stream().map(Class::getSimpleName).toList()
                    + "): " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return null;
        }
    }

    private static void closeAll(org.hibernate.SessionFactory[] factories) {
        for (org.hibernate.SessionFactory f : factories) {
            if (f != null) {
                f.close();
            }
        }
    }
}
