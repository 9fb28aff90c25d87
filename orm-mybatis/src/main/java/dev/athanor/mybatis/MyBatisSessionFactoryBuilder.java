package dev.athanor.mybatis;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.Session;
import dev.athanor.SessionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.io.Resources;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.type.TypeHandler;
import org.apache.ibatis.type.TypeHandlerRegistry;

/**
 * Builds a {@link MyBatisSessionFactory}. Setters only record; {@link #build()} makes one MyBatis
 * {@link Configuration} per bind, reads every mapper, and reports every problem in one {@link ConfigurationException}.
 *
 * <pre>{@code
 * MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
 *         .mapper(UserMapper.class)                                   // default bind
 *         .mapper(BlogMapper.class, "blogs")                          // a named bind: its own database
 *         .xmlMapper("mappers/BlogReports.xml", "blogs")              // an XML mapper from the classpath
 *         .typeHandler(Money.class, new MoneyTypeHandler())           // on every bind
 *         .configure(c -> c.setMapUnderscoreToCamelCase(true))        // any MyBatis setting, on every bind
 *         .executorType(ExecutorType.REUSE)                           // of openSession(); default SIMPLE
 *         .build();
 * }</pre>
 *
 * <p>Each bind's configuration starts with an environment whose id is the bind name and whose transactions are the
 * Athanor session's, and with {@code databaseId} set to the engine's dialect id ({@code postgresql}, {@code mariadb},
 * {@code mysql}, {@code h2}, ...) so that XML statements can be written per database. When the bind's engine has
 * {@code echo(true)}, MyBatis statements appear on Athanor's SQL log.
 */
public final class MyBatisSessionFactoryBuilder {
    private final SessionFactory sessions;
    private final List<Registration<Class<?>>> mappers = new ArrayList<>();
    private final List<Registration<String>> xmlMappers = new ArrayList<>();
    private final List<Consumer<TypeHandlerRegistry>> typeHandlers = new ArrayList<>();
    private final List<Consumer<Configuration>> configurers = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private ExecutorType executorType = ExecutorType.SIMPLE;

    MyBatisSessionFactoryBuilder(SessionFactory sessions) {
        if (sessions == null) {
            throw new IllegalArgumentException("sessions must not be null: MyBatisSessionFactory.builder needs the"
                    + " SessionFactory whose engines the mappers run on");
        }
        this.sessions = sessions;
    }

    /**
     * Registers an annotated mapper interface on the default bind. An XML mapper of the same name beside it on the
     * classpath ({@code com/example/UserMapper.xml} for {@code com.example.UserMapper}) is read too.
     */
    public MyBatisSessionFactoryBuilder mapper(Class<?> type) {
        return mapper(type, Session.DEFAULT_BIND);
    }

    /** Registers a mapper interface on the named bind: its statements run on that bind's database. */
    public MyBatisSessionFactoryBuilder mapper(Class<?> type, String bind) {
        if (type == null) {
            problems.add("mapper type must not be null");
        } else if (!type.isInterface()) {
            problems.add("mapper " + type.getName() + " must be an interface, was a class");
        } else if (checkBind(bind, "mapper " + type.getName())) {
            mappers.add(new Registration<>(type, bind));
        }
        return this;
    }

    /** Registers an XML mapper, a classpath resource like {@code "com/example/BlogMapper.xml"}, on the default bind. */
    public MyBatisSessionFactoryBuilder xmlMapper(String resource) {
        return xmlMapper(resource, Session.DEFAULT_BIND);
    }

    /**
     * Registers an XML mapper (a classpath resource) on the named bind. When its namespace names an interface, that
     * interface becomes a mapper of the bind too; otherwise its statements are reached through
     * {@link MyBatisSession#sqlSession(String)}.
     */
    public MyBatisSessionFactoryBuilder xmlMapper(String resource, String bind) {
        if (resource == null || resource.isBlank()) {
            problems.add("XML mapper resource must not be empty, was " + (resource == null ? "null" : "'" + resource
                    + "'"));
        } else if (checkBind(bind, "XML mapper '" + resource + "'")) {
            xmlMappers.add(new Registration<>(resource, bind));
        }
        return this;
    }

    /** Registers a type handler on every bind, for the Java type its {@code @MappedTypes} or type argument names. */
    public MyBatisSessionFactoryBuilder typeHandler(TypeHandler<?> handler) {
        if (handler == null) {
            problems.add("type handler must not be null");
        } else {
            typeHandlers.add(registry -> registry.register(handler));
        }
        return this;
    }

    /** Registers a type handler for {@code javaType} on every bind. */
    public <T> MyBatisSessionFactoryBuilder typeHandler(Class<T> javaType, TypeHandler<? extends T> handler) {
        if (javaType == null || handler == null) {
            problems.add("typeHandler(javaType, handler) needs both, was (" + javaType + ", " + handler + ")");
        } else {
            typeHandlers.add(registry -> registry.register(javaType, handler));
        }
        return this;
    }

    /**
     * Adjusts every bind's MyBatis configuration before the mappers are read: settings
     * ({@code c.setMapUnderscoreToCamelCase(true)}, {@code c.setDefaultFetchSize(500)}), type aliases, plugins, object
     * factories. Called once per bind; {@code c.getEnvironment().getId()} is the bind name. It must not replace the
     * environment: the environment is what runs MyBatis inside Athanor sessions.
     */
    public MyBatisSessionFactoryBuilder configure(Consumer<Configuration> configurer) {
        if (configurer == null) {
            problems.add("configure(...) needs a configurer, was null");
        } else {
            configurers.add(configurer);
        }
        return this;
    }

    /** The executor type of {@link MyBatisSessionFactory#openSession()}; default {@link ExecutorType#SIMPLE}. */
    public MyBatisSessionFactoryBuilder executorType(ExecutorType executorType) {
        if (executorType == null) {
            problems.add("executorType must be one of SIMPLE, REUSE, BATCH, was null");
        } else {
            this.executorType = executorType;
        }
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
     * Makes the factory: one MyBatis configuration per bind, with its mappers read and checked (statements, result
     * maps and cache references resolved). Opens no connection.
     *
     * @throws ConfigurationException listing every problem found
     */
    public MyBatisSessionFactory build() {
        List<String> all = new ArrayList<>(problems);
        List<String> binds = sessions.bindNames();
        SessionTransactionFactory transactions = new SessionTransactionFactory();
        Configuration[] configurations = new Configuration[binds.size()];
        for (int i = 0; i < configurations.length; i++) {
            configurations[i] = configuration(binds.get(i), transactions, all);
        }
        if (!all.isEmpty()) {
            throw new ConfigurationException("Invalid MyBatis configuration: ", all);
        }
        Map<Class<?>, List<String>> registered = new LinkedHashMap<>();
        for (int i = 0; i < configurations.length; i++) {
            for (Class<?> type : configurations[i].getMapperRegistry().getMappers()) {
                registered.computeIfAbsent(type, t -> new ArrayList<>(1)).add(binds.get(i));
            }
        }
        registered.replaceAll((type, on) -> List.copyOf(on));
        SessionFactory withSync = sessions.toBuilder().listener(new TransactionSync()).build();
        return new MyBatisSessionFactory(withSync, configurations, Collections.unmodifiableMap(registered),
                executorType, transactions);
    }

    private Configuration configuration(String bind, SessionTransactionFactory transactions, List<String> problems) {
        Engine engine = sessions.engine(bind);
        Environment environment = new Environment(bind, transactions, engine.dataSource());
        Configuration c = new Configuration(environment);
        c.setDatabaseId(engine.dialect().id());
        c.addInterceptor(new EchoInterceptor(engine, c)); // wraps a statement only while its engine watches them
        for (Consumer<Configuration> configurer : configurers) {
            try {
                configurer.accept(c);
            } catch (RuntimeException e) {
                problems.add("configure(...) failed on bind '" + bind + "': " + e);
            }
        }
        if (c.getEnvironment() != environment) {
            problems.add("configure(...) replaced the environment of bind '" + bind + "'; leave it: it runs MyBatis"
                    + " inside Athanor sessions");
        }
        for (Consumer<TypeHandlerRegistry> handler : typeHandlers) {
            try {
                handler.accept(c.getTypeHandlerRegistry());
            } catch (RuntimeException e) {
                problems.add("a type handler could not be registered on bind '" + bind + "': " + e.getMessage());
            }
        }
        for (Registration<String> xml : xmlMappers) {
            if (xml.bind.equals(bind)) {
                readXml(c, xml.target, bind, problems);
            }
        }
        for (Registration<Class<?>> mapper : mappers) {
            if (mapper.bind.equals(bind) && !c.hasMapper(mapper.target)) {
                try {
                    c.addMapper(mapper.target);
                } catch (RuntimeException e) {
                    problems.add("mapper " + mapper.target.getName() + " (bind '" + bind + "'): " + e.getMessage());
                }
            }
        }
        try {
            c.getMappedStatementNames(); // resolves what the mappers left pending, reporting what cannot be
        } catch (RuntimeException e) {
            problems.add("bind '" + bind + "': " + e.getMessage());
        }
        return c;
    }

    private static void readXml(Configuration c, String resource, String bind, List<String> problems) {
        InputStream in;
        try {
            in = Resources.getResourceAsStream(resource);
        } catch (IOException e) {
            problems.add("XML mapper '" + resource + "' (bind '" + bind + "') is not on the classpath");
            return;
        }
        try (in) {
            new XMLMapperBuilder(in, c, resource, c.getSqlFragments()).parse();
        } catch (IOException | RuntimeException e) {
            problems.add("XML mapper '" + resource + "' (bind '" + bind + "'): " + e.getMessage());
        }
    }

    /** A mapper interface or XML resource and the bind it runs on. */
    private static final class Registration<T> {
        final T target;
        final String bind;

        Registration(T target, String bind) {
            this.target = target;
            this.bind = bind;
        }
    }
}
