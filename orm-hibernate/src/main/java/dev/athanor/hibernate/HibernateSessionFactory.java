package dev.athanor.hibernate;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSource;
import dev.athanor.SqlEcho;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.hibernate.Hibernate;

/**
 * Opens {@link HibernateSession}s: Athanor sessions that host one Hibernate session per bind, each knowing the
 * entities registered on its bind (the seeds' "one model base per database"). Thread-safe; make one at start-up next
 * to the {@link SessionFactory}, and {@link #close()} it at shutdown.
 *
 * <pre>{@code
 * SessionFactory sessions = SessionFactory.builder().bind(users).bind("blogs", blogs).build();
 * HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions)
 *         .entity(User.class)                         // default bind: the users database
 *         .entity(Blog.class, "blogs")                // the blogs database
 *         .property("hibernate.jdbc.batch_size", 50)  // any Hibernate setting, on every bind
 *         .build();
 *
 * long annId = orm.inTransaction(s -> {
 *     User ann = new User("ann", "ann@example.com");
 *     s.orm().persist(ann);
 *     s.orm(Blog.class).persist(new Blog(ann.getId(), "Hello"));
 *     return ann.getId();
 * });
 * orm.useTransaction(s -> s.orm().find(User.class, annId).setName("Ann"));  // dirty: updated at commit
 * }</pre>
 *
 * <p>Each bind with entities has its own Hibernate {@link org.hibernate.SessionFactory} with no connection pool of its
 * own: it reads the database's metadata through the bind's engine when built, and its sessions run on the Athanor
 * session's connections, in the Athanor transaction. The second-level cache is not supported (see
 * {@link HibernateSessionFactoryBuilder#property}).
 */
public final class HibernateSessionFactory implements SessionSource<HibernateSession>, AutoCloseable {
    private final SessionFactory sessions;
    private final List<String> bindNames;
    private final org.hibernate.SessionFactory[] hibernate;
    private final Map<Class<?>, List<String>> entities;
    private final SavepointPolicy savepointPolicy;
    private final BiConsumer<String, String> connectionCalls;
    private final SqlEcho[] echo;

    HibernateSessionFactory(SessionFactory sessions, org.hibernate.SessionFactory[] hibernate,
                            Map<Class<?>, List<String>> entities, SavepointPolicy savepointPolicy,
                            BiConsumer<String, String> connectionCalls) {
        this.sessions = sessions;
        this.bindNames = sessions.bindNames();
        this.hibernate = hibernate;
        this.entities = entities;
        this.savepointPolicy = savepointPolicy;
        this.connectionCalls = connectionCalls;
        this.echo = new SqlEcho[bindNames.size()];
        for (int i = 0; i < echo.length; i++) {
            Engine engine = sessions.engine(bindNames.get(i));
            echo[i] = engine.sqlEcho();
        }
    }

    /**
     * A builder over {@code sessions}'s engines and options. {@code sessions} itself is left as it is: the new factory
     * opens its sessions from a copy with a listener added.
     */
    public static HibernateSessionFactoryBuilder builder(SessionFactory sessions) {
        return new HibernateSessionFactoryBuilder(sessions);
    }

    @Override
    public HibernateSession openSession() {
        Session s = sessions.openSession();
        return s.attribute(DefaultHibernateSession.class, () -> new DefaultHibernateSession(s, this, false));
    }

    /**
     * The Hibernate sessions of {@code session}, a session opened from {@link #sessionFactory()} or from a factory
     * built from it — a MyBatis session, for instance, so that mappers, entities and SQL share one transaction:
     *
     * <pre>{@code
     * HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions).entity(User.class).build();
     * MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(M.class).build();
     * try (MyBatisSession s = mybatis.openSession()) {
     *     HibernateSession h = orm.join(s);
     *     h.orm().persist(ann);
     *     s.mapper(M.class).countUsers();             // flushes Hibernate's changes of that bind first: counts ann
     *     s.commit();                                 // flushes Hibernate, commits everything
     * }
     * }</pre>
     *
     * Calling it again returns the same object. The returned session's statements, {@code beginNested} and
     * {@code commit} go through {@code session}'s.
     *
     * @throws ConfigurationException (on first use of {@code orm(...)}) when {@code session}'s factory lacks this
     *                                factory's listener
     */
    public HibernateSession join(Session session) {
        Objects.requireNonNull(session, "session");
        return session.attribute(DefaultHibernateSession.class,
                () -> new DefaultHibernateSession(session, this, true));
    }

    @Override
    public String name() {
        return sessions.name();
    }

    /** The session factory this one opens its sessions from: the one given to {@link #builder}, with a listener. */
    public SessionFactory sessionFactory() {
        return sessions;
    }

    /** The bind names, in commit order. */
    public List<String> bindNames() {
        return bindNames;
    }

    /** The registered entity classes, each with the bind it lives on. */
    public Map<Class<?>, List<String>> entities() {
        return entities;
    }

    /** What a rollback to a savepoint does to managed entities. */
    public SavepointPolicy savepointPolicy() {
        return savepointPolicy;
    }

    /**
     * The Hibernate session factory of {@code bind}, for its metamodel, criteria builder and statistics. Open sessions
     * through {@link #openSession()}, never through it: its own sessions would have no connection.
     *
     * @throws ConfigurationException when no entity is registered on {@code bind}
     */
    public org.hibernate.SessionFactory hibernate(String bind) {
        return hibernate(bindIndex(bind));
    }

    /** Closes every bind's Hibernate session factory; the engines stay open (they are the application's). */
    @Override
    public void close() {
        for (org.hibernate.SessionFactory f : hibernate) {
            if (f != null) {
                f.close();
            }
        }
    }

    org.hibernate.SessionFactory hibernate(int bind) {
        org.hibernate.SessionFactory f = hibernate[bind];
        if (f == null) {
            throw new ConfigurationException("[" + name() + "] no entity is registered on bind '"
                    + bindNames.get(bind) + "'; registered entities: " + registered() + ". Register one with"
                    + " HibernateSessionFactory.builder(sessions).entity(Type.class, \"" + bindNames.get(bind)
                    + "\")");
        }
        return f;
    }

    /** The statement hooks of {@code bind}'s engine (echo, slow-query log, statement listeners). */
    SqlEcho echo(int bind) {
        return echo[bind];
    }

    BiConsumer<String, String> connectionCalls() {
        return connectionCalls;
    }

    int bindIndex(String bind) {
        sessions.engine(bind); // the session factory's error when there is no such bind
        return bindNames.indexOf(bind);
    }

    int defaultBindIndex() {
        sessions.engine(); // the session factory's error when there is no default bind
        return bindNames.indexOf(Session.DEFAULT_BIND);
    }

    /** The bind {@code type} is registered on. */
    String bindOf(Class<?> type) {
        List<String> binds = entities.get(Objects.requireNonNull(type, "entityType"));
        if (binds == null) {
            throw new ConfigurationException("[" + name() + "] entity " + type.getName() + " is registered on no"
                    + " bind; registered entities: " + registered() + ". Register it with"
                    + " HibernateSessionFactory.builder(sessions).entity(" + type.getSimpleName() + ".class, bind)");
        }
        if (binds.size() > 1) {
            throw new IllegalArgumentException("[" + name() + "] entity " + type.getName() + " is registered on the"
                    + " binds " + binds + "; name one: orm(\"" + binds.get(0) + "\")");
        }
        return binds.get(0);
    }

    /**
     * An error naming the binds when {@code failure} came from using an entity on a bind it is not registered on, or
     * an entity registered nowhere; null when that is not the case.
     */
    RuntimeException wrongBind(RuntimeException failure, Object[] args, String bind) {
        if (args == null) {
            return null;
        }
        for (Object arg : args) {
            if (arg == null) {
                continue;
            }
            Class<?> type = arg instanceof Class<?> ? (Class<?>) arg : Hibernate.getClass(arg);
            if (type.getAnnotation(jakarta.persistence.Entity.class) == null) {
                continue;
            }
            List<String> binds = entities.get(type);
            if (binds == null) {
                return new IllegalArgumentException("[" + name() + "] entity " + type.getName() + " is registered on"
                        + " no bind; registered entities: " + registered(), failure);
            }
            if (!binds.contains(bind)) {
                return new IllegalArgumentException("[" + name() + "] entity " + type.getName() + " is registered on"
                        + " bind " + binds + ", not on '" + bind + "'; use orm(\"" + binds.get(0) + "\") or orm("
                        + type.getSimpleName() + ".class)", failure);
            }
        }
        return null;
    }

    private String registered() {
        return entities.isEmpty() ? "none" : entities.entrySet().stream()
                .map(e -> e.getKey().getName() + " on " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "HibernateSessionFactory[" + name() + ", binds=" + bindNames + ", entities=" + entities.size()
                + ", savepoints=" + savepointPolicy + "]";
    }
}
