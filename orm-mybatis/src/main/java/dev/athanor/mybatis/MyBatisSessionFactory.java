package dev.athanor.mybatis;

import dev.athanor.ConfigurationException;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;

/**
 * Opens {@link MyBatisSession}s: Athanor sessions whose MyBatis mappers run in the session's transaction, each mapper
 * on the database of its bind. Thread-safe and immutable; make one at start-up next to the {@link SessionFactory}.
 *
 * <pre>{@code
 * Engine users = Engine.create("mariadb://app@db.local/db_users");
 * Engine blogs = Engine.create("mariadb://app@db.local/db_blogs");
 * SessionFactory sessions = SessionFactory.builder().bind(users).bind("blogs", blogs).build();
 *
 * MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
 *         .mapper(UserMapper.class)               // annotated mapper, default bind (users)
 *         .mapper(BlogMapper.class, "blogs")      // BlogMapper.xml beside it is read too
 *         .configure(c -> c.setMapUnderscoreToCamelCase(true))
 *         .build();
 *
 * long userId = orm.inTransaction(s -> {          // commit, or roll back on any exception; always close
 *     User ann = new User("ann", "ann@example.com");
 *     s.mapper(UserMapper.class).insert(ann);
 *     s.mapper(BlogMapper.class).insert(new Blog(ann.getId(), "Hello"));
 *     return ann.getId();
 * });
 *
 * try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {   // JDBC batches, sent before the commit
 *     UserMapper mapper = s.mapper(UserMapper.class);
 *     for (User u : imported) {
 *         mapper.insert(u);
 *     }
 *     s.commit();
 * }
 *
 * ScopedSession<MyBatisSession> db = ScopedSession.threadLocal(orm);   // one per thread, with mappers
 * db.current().mapper(UserMapper.class).findById(userId);
 * }</pre>
 *
 * <p>Each bind has its own MyBatis {@link Configuration} (MyBatis has one environment per configuration), holding the
 * mappers registered for that bind. The factory's sessions come from a {@link SessionFactory} derived from the one
 * given to {@link #builder}, with a {@link dev.athanor.SessionListener} added; see {@link #sessionFactory()}.
 */
public final class MyBatisSessionFactory implements SessionSource<MyBatisSession> {
    private final SessionFactory sessions;
    private final List<String> bindNames;
    private final Configuration[] configurations;
    private final Map<Class<?>, List<String>> mappers;
    private final ExecutorType executorType;
    private final SessionTransactionFactory transactions;

    MyBatisSessionFactory(SessionFactory sessions, Configuration[] configurations, Map<Class<?>, List<String>> mappers,
                          ExecutorType executorType, SessionTransactionFactory transactions) {
        this.sessions = sessions;
        this.bindNames = sessions.bindNames();
        this.configurations = configurations;
        this.mappers = mappers;
        this.executorType = executorType;
        this.transactions = transactions;
    }

    /**
     * A builder over {@code sessions}'s engines and options. {@code sessions} itself is left as it is: the new factory
     * opens its sessions from a copy with a listener added.
     */
    public static MyBatisSessionFactoryBuilder builder(SessionFactory sessions) {
        return new MyBatisSessionFactoryBuilder(sessions);
    }

    /** A new session running mappers with this factory's executor type (default {@link ExecutorType#SIMPLE}). */
    @Override
    public MyBatisSession openSession() {
        return openSession(executorType);
    }

    /**
     * A new session whose mappers run with {@code executorType}: {@link ExecutorType#BATCH} queues their updates as
     * JDBC batches, sent before the commit; {@link ExecutorType#REUSE} reuses prepared statements within a transaction.
     */
    public MyBatisSession openSession(ExecutorType executorType) {
        if (executorType == null) {
            throw new IllegalArgumentException("[" + name() + "] executorType must not be null; one of "
                    + java.util.Arrays.toString(ExecutorType.values()));
        }
        Session s = sessions.openSession();
        return s.attribute(DefaultMyBatisSession.class, () -> new DefaultMyBatisSession(s, this, executorType));
    }

    /** The name that prefixes log lines and messages: the session factory's. */
    @Override
    public String name() {
        return sessions.name();
    }

    /**
     * The session factory this one opens its sessions from: the one given to {@link #builder}, with this factory's
     * listener. Its plain sessions run no mappers.
     */
    public SessionFactory sessionFactory() {
        return sessions;
    }

    /** The bind names, in commit order. */
    public List<String> bindNames() {
        return bindNames;
    }

    /** The registered mapper interfaces, each with the binds it runs on. */
    public Map<Class<?>, List<String>> mappers() {
        return mappers;
    }

    /**
     * The MyBatis configuration of {@code bind} (its environment id is the bind name), for reading: MyBatis does not
     * support changing a configuration while sessions use it.
     *
     * @throws IllegalArgumentException when no bind has this name
     */
    public Configuration configuration(String bind) {
        return configurations[bindIndex(bind)];
    }

    /** The executor type of {@link #openSession()}. */
    public ExecutorType executorType() {
        return executorType;
    }

    Configuration configuration(int bind) {
        return configurations[bind];
    }

    SessionTransactionFactory transactions() {
        return transactions;
    }

    int bindIndex(String bind) {
        sessions.engine(bind); // the session factory's error when there is no such bind
        return bindNames.indexOf(bind);
    }

    int defaultBindIndex() {
        sessions.engine(); // the session factory's error when there is no default bind
        return bindNames.indexOf(Session.DEFAULT_BIND);
    }

    /** The one bind {@code type} is registered on. */
    private Class<?> requireType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("[" + name() + "] mapper type must not be null; registered: "
                    + mappers.keySet().stream().map(Class::getName).sorted().toList());
        }
        return type;
    }

    String bindOf(Class<?> type) {
        List<String> binds = mappers.get(requireType(type));
        if (binds == null) {
            throw notRegistered(type, null);
        }
        if (binds.size() > 1) {
            throw new IllegalArgumentException("[" + name() + "] mapper " + type.getName() + " is registered on the"
                    + " binds " + binds + "; name one: mapper(" + type.getSimpleName() + ".class, \"" + binds.get(0)
                    + "\")");
        }
        return binds.get(0);
    }

    void checkRegistered(Class<?> type, int bind) {
        requireType(type);
        List<String> binds = mappers.get(type);
        if (binds == null || !binds.contains(bindNames.get(bind))) {
            throw notRegistered(type, bindNames.get(bind));
        }
    }

    private ConfigurationException notRegistered(Class<?> type, String bind) {
        String registered = mappers.isEmpty() ? "none" : mappers.entrySet().stream()
                .map(e -> e.getKey().getName() + " on " + e.getValue())
                .collect(Collectors.joining(", "));
        String where = bind == null ? "" : " on bind '" + bind + "'";
        return new ConfigurationException("[" + name() + "] mapper " + type.getName() + " is not registered" + where
                + "; registered mappers: " + registered + ". Register it with MyBatisSessionFactory.builder(sessions)"
                + ".mapper(" + type.getSimpleName() + ".class" + (bind == null ? "" : ", \"" + bind + "\"") + ")");
    }

    @Override
    public String toString() {
        return "MyBatisSessionFactory[" + name() + ", binds=" + bindNames + ", mappers=" + mappers.size() + "]";
    }
}
