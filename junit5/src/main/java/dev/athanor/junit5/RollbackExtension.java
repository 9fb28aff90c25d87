package dev.athanor.junit5;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionFactoryBuilder;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs each test inside one outer transaction per bind and rolls it back afterwards, so the database is exactly as it
 * was before the test. Everything the code under test does through the injected {@link Engine} or
 * {@link SessionFactory} happens inside that transaction: a {@code commit()} releases a savepoint (and sets the next
 * one), a {@code rollback()} rolls back to it, nested savepoints ({@code beginNested}) nest inside it; sessions,
 * scoped sessions, {@code engine.inTransaction}, MyBatis sessions all work unchanged and see what they wrote.
 *
 * <pre>{@code
 * class UserRepositoryTest {
 *     @RegisterExtension
 *     static final RollbackExtension db = RollbackExtension.of("postgresql://app@localhost/app_test")
 *             .bind("audit", "mariadb://app@localhost/audit_test", b -> b.echo(true));
 *
 *     @Test
 *     void savesAUser(SessionFactory sessions) {
 *         new UserRepository(sessions).save(new User("ada"));          // commits: a savepoint release
 *         assertThat(new UserRepository(sessions).count()).isEqualTo(1); // rolled back after the test
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets engines of its own, built from the URL and options given here, whose every checkout hands out the
 * test's one connection to that bind (the {@code static} pool: pool-size options are refused). Tests that run in
 * parallel have separate transactions and do not see each other's rows. Parameters of type {@link Engine} (the
 * default bind's, or the one named by {@link Bind}) and {@link SessionFactory} (all binds) are injected into test,
 * {@code @BeforeEach} and {@code @AfterEach} methods. A test marked {@link Commit} gets ordinary engines instead.
 *
 * <p>A test fails when a rollback cannot undo what it did: when the outer transaction was ended during the test (an
 * implicit commit, as DDL causes on MariaDB, MySQL and H2, or {@code COMMIT} sent as SQL), seen because the savepoint
 * set when the test began is gone; auto-commit ({@code setAutoCommit(true)}, {@code IsolationLevel.AUTOCOMMIT}) is
 * refused. Sequences and auto-increment counters are not transactional on any database: ids used by a rolled-back
 * test are not handed out again.
 */
public final class RollbackExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            RollbackExtension.class);

    private final Map<String, BindConfig> binds = new LinkedHashMap<>();

    private RollbackExtension() {
    }

    /** An extension whose default bind is the database at {@code url} (any URL {@link Engine#builder} takes). */
    public static RollbackExtension of(String url) {
        return of(url, UnaryOperator.identity());
    }

    /** The same, with engine options ({@code b -> b.echo(true)}) applied to every test's engine of the default bind. */
    public static RollbackExtension of(String url, UnaryOperator<EngineBuilder> options) {
        return new RollbackExtension().bind(Session.DEFAULT_BIND, url, options);
    }

    /** Adds a named bind: its engine is injected with {@code @Bind(name)} and is in the injected session factory. */
    public RollbackExtension bind(String name, String url) {
        return bind(name, url, UnaryOperator.identity());
    }

    /** Adds a named bind with engine options. */
    public RollbackExtension bind(String name, String url, UnaryOperator<EngineBuilder> options) {
        if (name == null || name.isBlank()) {
            throw new ConfigurationException("bind name must not be empty, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (url == null || options == null) {
            throw new ConfigurationException("bind '" + name + "' needs a URL and options (UnaryOperator.identity() "
                    + "for none), was " + (url == null ? "a null URL" : "null options"));
        }
        if (binds.containsKey(name)) {
            throw new ConfigurationException("bind '" + name + "' is declared twice; each bind name once: "
                    + binds.keySet());
        }
        binds.put(name, new BindConfig(url, options));
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        boolean commit = annotated(context.getTestMethod()) || annotated(context.getTestClass());
        TestBinds test = new TestBinds();
        context.getStore(NAMESPACE).put(TestBinds.class, test);
        for (Map.Entry<String, BindConfig> bind : binds.entrySet()) {
            test.open(bind.getKey(), bind.getValue(), commit);
        }
        test.bindSessions();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestBinds test = context.getStore(NAMESPACE).remove(TestBinds.class, TestBinds.class);
        if (test == null) {
            return;
        }
        List<String> problems = test.finish();
        if (!problems.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + ": a rollback cannot undo what the test did: "
                    + String.join("; ", problems));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getTestMethod().isPresent() && (type == Engine.class || type == SessionFactory.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestBinds test = context.getStore(NAMESPACE).get(TestBinds.class, TestBinds.class);
        if (test == null) {
            throw new ParameterResolutionException("RollbackExtension injects engines only into test methods and "
                    + "their @BeforeEach and @AfterEach methods, not into " + parameter.getDeclaringExecutable());
        }
        if (parameter.getParameter().getType() == SessionFactory.class) {
            return test.sessions;
        }
        String name = parameter.findAnnotation(Bind.class).map(Bind::value).orElse(Session.DEFAULT_BIND);
        Engine engine = test.engines.get(name);
        if (engine == null) {
            throw new ParameterResolutionException("no bind named '" + name + "' for " + parameter.getParameter()
                    + "; the binds are " + test.engines.keySet());
        }
        return engine;
    }

    private static boolean annotated(Optional<? extends AnnotatedElement> element) {
        return element.map(e -> e.isAnnotationPresent(Commit.class)).orElse(false);
    }

    private record BindConfig(String url, UnaryOperator<EngineBuilder> options) {
    }

    /** One test's engines, their outer transactions and the session factory over them. */
    private static final class TestBinds {
        final Map<String, Engine> engines = new LinkedHashMap<>();
        final Map<String, OuterTransaction> transactions = new LinkedHashMap<>();
        SessionFactory sessions;

        void open(String name, BindConfig config, boolean commit) {
            EngineBuilder builder = config.options().apply(Engine.builder(config.url()));
            if (!commit) {
                OuterTransaction outer = new OuterTransaction(name);
                transactions.put(name, outer);
                builder.pool("static").connectionWrapper(outer);
            }
            engines.put(name, builder.build());
        }

        void bindSessions() {
            SessionFactoryBuilder factory = SessionFactory.builder();
            engines.forEach(factory::bind);
            sessions = factory.build();
        }

        /** Rolls back every bind's outer transaction and closes the engines; the problems found. */
        List<String> finish() {
            List<String> problems = new ArrayList<>();
            try {
                for (OuterTransaction outer : transactions.values()) {
                    problems.addAll(outer.finish());
                }
            } finally {
                for (Engine engine : engines.values()) {
                    engine.close();
                }
            }
            return problems;
        }
    }
}
