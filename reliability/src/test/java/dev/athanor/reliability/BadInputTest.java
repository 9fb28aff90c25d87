package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Connection;
import dev.athanor.Dialect;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.IsolationLevel;
import dev.athanor.PoolStatus;
import dev.athanor.Result;
import dev.athanor.RetryPolicy;
import dev.athanor.Row;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionFactoryBuilder;
import dev.athanor.StatementException;
import dev.athanor.Url;
import dev.athanor.schema.Column;
import dev.athanor.schema.MetaData;
import dev.athanor.schema.Table;
import dev.athanor.schema.Type;
import dev.athanor.mybatis.MyBatisSession;
import dev.athanor.mybatis.MyBatisSessionFactory;
import dev.athanor.mybatis.MyBatisSessionFactoryBuilder;
import dev.athanor.spi.Capability;
import dev.athanor.spi.PoolSpec;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Guarantee 9, bad input: every public entry point given nulls, negatives, empty strings and unknown names answers
 * with a clear {@link ConfigurationException} or {@link IllegalArgumentException} (or another Athanor exception
 * where one is documented, such as a {@link StatementException} naming a missing parameter), never a
 * {@link NullPointerException} from inside. A table of the main entry points checks the type and the message; a
 * sweep calls every public method of the API with a bad value in each parameter position.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private Engine engine;
    private SessionFactory sessions;
    private Connection connection;

    @BeforeAll
    void open() {
        String backend = Backends.names().get(0);
        Backends.require(backend);
        engine = Engine.builder(TestDatabase.H2.url()).pool(backend).poolSize(2).maxOverflow(2)
                .poolTimeout(Duration.ofSeconds(2)).build();
        sessions = SessionFactory.builder().bind(engine).build();
        connection = engine.connect();
    }

    @AfterAll
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (engine != null) {
            assertThat(engine.status().checkedOut()).as("connections left checked out").isZero();
            engine.close();
        }
    }

    /** One bad input: what is called, the exception type expected, and a word its message must contain. */
    private static DynamicTest bad(String name, Class<? extends RuntimeException> expected, String mentions,
                                   ThrowingCallable call) {
        return DynamicTest.dynamicTest(name, () -> assertThatThrownBy(call).as(name).isInstanceOf(expected)
                .isNotInstanceOf(NullPointerException.class).hasMessageContaining(mentions));
    }

    @TestFactory
    Stream<DynamicTest> theMainEntryPointsNameWhatIsWrong() {
        List<DynamicTest> t = new ArrayList<>();
        Class<ConfigurationException> config = ConfigurationException.class;
        Class<IllegalArgumentException> arg = IllegalArgumentException.class;
        String h2 = TestDatabase.H2.url();
        t.add(bad("Engine.builder(null).build()", config, "URL must not be null", () -> Engine.builder(null).build()));
        t.add(bad("Engine.create(\"\")", config, "empty", () -> Engine.create("")));
        t.add(bad("Engine.create(\"  \")", config, "blank", () -> Engine.create("  ")));
        t.add(bad("Engine.create(unknown dialect)", config, "unknown dialect", () -> Engine.create("oracle2://h/db")));
        t.add(bad("Url.parse(null)", config, "must not be null", () -> Url.parse(null)));
        t.add(bad("Url.parse(\"\")", config, "empty", () -> Url.parse("")));
        t.add(bad("Url.parse(port 99999)", config, "port", () -> Url.parse("postgresql://h:99999/db")));
        t.add(bad("poolSize(-1)", config, "poolSize must be >= 0", () -> build(b -> b.poolSize(-1))));
        t.add(bad("maxOverflow(-2)", config, "maxOverflow must be >= -1", () -> build(b -> b.maxOverflow(-2))));
        t.add(bad("poolTimeout(null)", config, "poolTimeout", () -> build(b -> b.poolTimeout(null))));
        t.add(bad("poolTimeout(-1 s)", config, "poolTimeout", () -> build(b -> b.poolTimeout(Duration.ofSeconds(-1)))));
        t.add(bad("poolRecycle(0)", config, "poolRecycle", () -> build(b -> b.poolRecycle(Duration.ZERO))));
        t.add(bad("resetOnReturn(null)", config, "resetOnReturn", () -> build(b -> b.resetOnReturn(null))));
        t.add(bad("connectTimeout(-1 s)", config, "connectTimeout",
                () -> build(b -> b.connectTimeout(Duration.ofSeconds(-1)))));
        t.add(bad("fetchSize(-1)", config, "fetchSize", () -> build(b -> b.fetchSize(-1))));
        t.add(bad("poolName(\"\")", config, "poolName", () -> build(b -> b.poolName(""))));
        t.add(bad("pool(\"no_such_pool\")", config, "no_such_pool", () -> build(b -> b.pool("no_such_pool"))));
        t.add(bad("pool(\"\")", config, "pool", () -> build(b -> b.pool(""))));
        t.add(bad("connectArg(null, v)", config, "connectArg", () -> build(b -> b.connectArg(null, "v"))));
        t.add(bad("connectArg(k, null)", config, "connectArg", () -> build(b -> b.connectArg("k", null))));
        t.add(bad("backendProperty(\"\", v)", config, "backendProperty", () -> build(b -> b.backendProperty("", "v"))));
        for (String backend : Backends.names()) {
            if (Backends.isAvailable(backend)) {
                t.add(bad(backend + ": backendProperty(\"noSuchSetting\", \"1\")", config, "noSuchSetting",
                        () -> Engine.builder(h2).pool(backend).backendProperty("noSuchSetting", "1").build()));
                t.add(bad(backend + ": poolSize(-3) and maxOverflow(-5) together", config, "maxOverflow must be",
                        () -> Engine.builder(h2).pool(backend).poolSize(-3).maxOverflow(-5).build()));
            }
        }
        t.add(bad("Engine.fromConfig(null, prefix)", config, "config", () -> Engine.fromConfig(null, "db.")));
        t.add(bad("Engine.fromConfig(no url)", config, "url", () -> Engine.fromConfig(Map.of(), "db.")));
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("db.url", h2);
        nulls.put("db.pool_size", null);
        t.add(bad("Engine.fromConfig(pool_size null)", config, "pool_size", () -> Engine.fromConfig(nulls, "db.")));
        t.add(bad("Engine.fromConfig(unknown option)", config, "unknown option 'db.colour'",
                () -> Engine.fromConfig(Map.of("db.url", h2, "db.colour", "red"), "db.")));
        t.add(bad("Engine.fromConfig(pool_size -1)", config, "poolSize must be >= 0",
                () -> Engine.fromConfig(Map.of("db.url", h2, "db.pool_size", "-1"), "db.")));
        t.add(bad("withConnection(null)", arg, "callback", () -> engine.withConnection(null)));
        t.add(bad("useTransaction(null)", arg, "callback", () -> engine.useTransaction(null)));
        t.add(bad("addListener(null)", arg, "listener", () -> engine.addListener(null)));
        t.add(bad("execute(null, Map)", arg, "sql", () -> connection.execute(null, Map.of())));
        t.add(bad("execute(null)", arg, "sql", () -> connection.execute((String) null)));
        t.add(bad("execute(sql, null map) missing parameter", StatementException.class, ":a",
                () -> connection.execute("SELECT :a", (Map<String, ?>) null)));
        t.add(bad("execute(sql, unknown name)", StatementException.class, "unknown parameter(s) :b",
                () -> connection.execute("SELECT :a", Map.of("a", 1, "b", 2))));
        t.add(bad("executeMany(sql, null)", arg, "rows", () -> connection.executeMany("SELECT 1", null)));
        t.add(bad("fetchSize(-1) on a connection", arg, "fetchSize", () -> connection.fetchSize(-1)));
        t.add(bad("Row.get(\"no_such_column\")", arg, "no_such_column",
                () -> connection.execute("SELECT 1 AS a").one().get("no_such_column")));
        t.add(bad("SessionFactory.builder().build() without a bind", config, "bind",
                () -> SessionFactory.builder().build()));
        t.add(bad("SessionFactory.builder().bind(null).build()", config, "needs an engine",
                () -> SessionFactory.builder().bind(null).build()));
        t.add(bad("session.execute(\"no_such_bind\", …)", arg, "no_such_bind",
                () -> withSession(s -> s.execute("no_such_bind", "SELECT 1", Map.of()))));
        t.add(bad("session.connection(null)", arg, "bind", () -> withSession(s -> s.connection(null))));
        t.add(bad("session.execute(null, Map)", arg, "sql", () -> withSession(s -> s.execute(null, Map.of()))));
        t.add(bad("ScopedSession.of(null, scope)", arg, "source", () -> ScopedSession.of(null, null)));
        t.add(bad("RetryPolicy.maxAttempts(0)", arg, "maxAttempts", () -> RetryPolicy.serializable().maxAttempts(0)));
        t.add(bad("PoolSpec.builder(null)", arg, "poolName", () -> PoolSpec.builder(null)));
        return t.stream();
    }

    @TestFactory
    @SuppressWarnings("rawtypes") // ScopedSession.class, SessionSource.class
    Stream<DynamicNode> noPublicMethodLetsANullPointerExceptionEscape() {
        List<DynamicNode> groups = new ArrayList<>();
        group(groups, ApiSweep.statics(Engine.class));
        group(groups, ApiSweep.of(Engine.class, () -> engine, e -> { }, "removeListener"));
        group(groups, ApiSweep.of(EngineBuilder.class, () -> Engine.builder(TestDatabase.H2.url()),
                BadInputTest::buildAndClose));
        group(groups, ApiSweep.of(Connection.class, engine::connect, Connection::close));
        group(groups, ApiSweep.of(Result.class, () -> connection.execute("SELECT 1 AS a"), Result::close));
        group(groups, ApiSweep.of(Row.class, () -> connection.execute("SELECT 1 AS a").one(), r -> { }));
        group(groups, ApiSweep.statics(Url.class));
        group(groups, ApiSweep.of(Url.class, () -> Url.parse("postgresql://u:p@h/db"), u -> { }));
        group(groups, ApiSweep.statics(Dialect.class, "valueOf"));
        group(groups, ApiSweep.of(Dialect.class, () -> Dialect.POSTGRESQL, d -> { }, "valueOf"));
        group(groups, ApiSweep.statics(IsolationLevel.class, "valueOf"));
        group(groups, ApiSweep.statics(SessionFactory.class));
        group(groups, ApiSweep.of(SessionFactory.class, () -> sessions, f -> { }).withSample(Engine.class, engine));
        group(groups, ApiSweep.of(SessionFactoryBuilder.class, SessionFactory::builder, BadInputTest::buildQuietly)
                .withSample(Engine.class, engine));
        group(groups, ApiSweep.of(Session.class, sessions::openSession, Session::close));
        group(groups, ApiSweep.statics(ScopedSession.class).withSample(dev.athanor.SessionSource.class, sessions));
        group(groups, ApiSweep.of(ScopedSession.class, () -> ScopedSession.threadLocal(sessions),
                ScopedSession::remove));
        group(groups, ApiSweep.statics(RetryPolicy.class));
        group(groups, ApiSweep.of(RetryPolicy.class, RetryPolicy::serializable, r -> { }));
        group(groups, ApiSweep.statics(PoolStatus.class));
        group(groups, ApiSweep.statics(PoolSpec.class));
        group(groups, ApiSweep.of(PoolSpec.Builder.class, () -> PoolSpec.builder("p"), PoolSpec.Builder::build));
        group(groups, ApiSweep.statics(Capability.class));
        group(groups, ApiSweep.of(MetaData.class, MetaData::new, m -> { }).withSample(Engine.class, engine)
                .withSample(Dialect.class, Dialect.H2));
        group(groups, ApiSweep.statics(Table.class).withSample(Engine.class, engine));
        group(groups, ApiSweep.statics(Column.class).withSample(Type.class, Type.INTEGER));
        group(groups, ApiSweep.of(Column.class, () -> Column.of("c", Type.INTEGER), c -> { }));
        group(groups, ApiSweep.statics(Type.class, "valueOf"));
        return groups.stream();
    }

    /**
     * Every public type of the published packages, found by {@link ApiScan}: its static methods are swept, and its
     * instance methods too on an instance from {@link #makers()}. A public type with instance methods that take
     * arguments and no maker fails the coverage check, so a new type cannot be forgotten.
     */
    @TestFactory
    Stream<DynamicNode> everyPublicTypeFoundOnTheClassPathIsSwept() {
        Map<Class<?>, Object> samples = Map.of(Engine.class, engine, SessionFactory.class, sessions,
                dev.athanor.SessionSource.class, sessions, Type.class, Type.INTEGER, Dialect.class, Dialect.H2);
        Map<Class<?>, Maker<?>> makers = makers();
        List<DynamicNode> groups = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        for (Class<?> type : ApiScan.publicTypes()) {
            // An enum's valueOf is the JDK's (its NullPointerException says "Name is null").
            group(groups, ApiSweep.statics(type, type.isEnum() ? new String[] {"valueOf"} : new String[0])
                    .withSamples(samples));
            Maker<?> maker = makers.get(type);
            if (maker != null) {
                group(groups, maker.sweep().withSamples(samples));
            } else if (ApiScan.hasInstanceMethodsWithParameters(type) && !UNSWEPT.contains(type.getName())) {
                uncovered.add(type.getName());
            }
        }
        groups.add(DynamicTest.dynamicTest("every public type with instance methods has a maker", () ->
                assertThat(uncovered).as("public types whose instance methods no sweep reaches: add a maker in"
                        + " BadInputTest.makers() or a reason in UNSWEPT").isEmpty()));
        return groups.stream();
    }

    /** Public types with instance methods that are not swept, each for a reason. */
    private static final java.util.Set<String> UNSWEPT = java.util.Set.of(
            // Callback interfaces the user implements: Athanor calls them, users do not call them with bad input.
            "dev.athanor.PoolListener", "dev.athanor.SessionListener", "dev.athanor.StatementListener",
            "dev.athanor.Binder",
            "dev.athanor.SessionScope", "dev.athanor.spi.PoolProvider", "dev.athanor.spi.PoolBackend",
            "dev.athanor.spi.ConnectionSource", "dev.athanor.spi.ForwardingSession", "dev.athanor.RowMapper",
            "dev.athanor.Engine$ConnectionCallback", "dev.athanor.Engine$ConnectionConsumer",
            "dev.athanor.SessionSource$SessionCallback", "dev.athanor.SessionSource$SessionConsumer",
            // Implemented by SessionFactory and MyBatisSessionFactory, which are swept.
            "dev.athanor.SessionSource",
            // Exceptions: constructed by Athanor, their accessors take no arguments.
            "dev.athanor.ConfigurationException", "dev.athanor.StatementException",
            "dev.athanor.DisconnectionException", "dev.athanor.PartialCommitException",
            "dev.athanor.PoolTimeoutException", "dev.athanor.AthanorException",
            "dev.athanor.schema.NoSuchTableException");

    /** How to make an instance of one public type for the sweep, and how to clean it up. */
    private record Maker<T>(Class<T> type, java.util.function.Supplier<? extends T> make,
                            java.util.function.Consumer<? super T> cleanup) {
        ApiSweep<T> sweep() {
            return ApiSweep.of(type, make, cleanup, type.isEnum() ? new String[] {"valueOf"} : new String[0]);
        }
    }

    private static <T> void maker(Map<Class<?>, Maker<?>> makers, Class<T> type,
                                  java.util.function.Supplier<? extends T> make,
                                  java.util.function.Consumer<? super T> cleanup) {
        makers.put(type, new Maker<>(type, make, cleanup));
    }

    private Map<Class<?>, Maker<?>> makers() {
        Map<Class<?>, Maker<?>> m = new HashMap<>();
        maker(m, Engine.class, () -> engine, e -> { });
        maker(m, dev.athanor.SqlEcho.class, engine::sqlEcho, x -> { });
        maker(m, EngineBuilder.class, () -> Engine.builder(TestDatabase.H2.url()), BadInputTest::buildAndClose);
        maker(m, Connection.class, engine::connect, Connection::close);
        maker(m, Result.class, () -> connection.execute("SELECT 1 AS a"), Result::close);
        maker(m, Row.class, () -> connection.execute("SELECT 1 AS a").one(), r -> { });
        maker(m, Url.class, () -> Url.parse("postgresql://u:p@h/db"), u -> { });
        maker(m, SessionFactory.class, () -> sessions, f -> { });
        maker(m, SessionFactoryBuilder.class, SessionFactory::builder, BadInputTest::buildQuietly);
        maker(m, Session.class, sessions::openSession, Session::close);
        maker(m, ScopedSession.class, () -> ScopedSession.threadLocal(sessions), ScopedSession::remove);
        maker(m, RetryPolicy.class, RetryPolicy::serializable, r -> { });
        maker(m, PoolSpec.Builder.class, () -> PoolSpec.builder("p"), PoolSpec.Builder::build);
        maker(m, PoolSpec.class, () -> PoolSpec.builder("p").build(), x -> { });
        maker(m, dev.athanor.spi.Capabilities.class, () -> dev.athanor.spi.Capabilities.builder().allExact().build(),
                x -> { });
        maker(m, dev.athanor.spi.Capabilities.Builder.class, dev.athanor.spi.Capabilities::builder, x -> { });
        maker(m, Dialect.class, () -> Dialect.POSTGRESQL, x -> { }); // valueOf skipped as for statics
        maker(m, MetaData.class, MetaData::new, x -> { });
        maker(m, Column.class, () -> Column.of("c", Type.INTEGER), c -> { });
        maker(m, Table.class, () -> new MetaData().table("t", Column.of("id", Type.INTEGER).primaryKey()), t -> { });
        maker(m, dev.athanor.schema.Index.class, () -> dev.athanor.schema.Index.on("a"), x -> { });
        maker(m, dev.athanor.schema.PrimaryKey.class, () -> dev.athanor.schema.PrimaryKey.of("a"), x -> { });
        maker(m, dev.athanor.schema.UniqueConstraint.class, () -> dev.athanor.schema.UniqueConstraint.of("a"),
                x -> { });
        maker(m, dev.athanor.schema.ForeignKey.class, () -> dev.athanor.schema.ForeignKey.of("a", "t.id"), x -> { });
        maker(m, dev.athanor.schema.CheckConstraint.class, () -> dev.athanor.schema.CheckConstraint.of("a > 0"),
                x -> { });
        maker(m, MyBatisSessionFactory.class, this::mybatis, x -> { });
        maker(m, MyBatisSessionFactoryBuilder.class, () -> MyBatisSessionFactory.builder(sessions), b -> {
            try {
                b.build();
            } catch (ConfigurationException | IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
        maker(m, MyBatisSession.class, () -> mybatis().openSession(), MyBatisSession::close);
        maker(m, dev.athanor.Binds.class,
                () -> dev.athanor.Binds.fromConfig(Map.of("binds.default.url", TestDatabase.H2.url()), ""),
                dev.athanor.Binds::close);
        return m;
    }

    private MyBatisSessionFactory mybatis() {
        return MyBatisSessionFactory.builder(sessions).build();
    }

    private static void group(List<DynamicNode> groups, ApiSweep<?> sweep) {
        List<DynamicTest> tests = sweep.tests();
        if (!tests.isEmpty()) {
            groups.add(DynamicContainer.dynamicContainer(tests.get(0).getDisplayName().replaceAll("\\..*", ""),
                    tests));
        }
    }

    private static void buildAndClose(EngineBuilder b) {
        try {
            b.build().close();
        } catch (ConfigurationException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static void buildQuietly(SessionFactoryBuilder b) {
        try {
            b.build();
        } catch (ConfigurationException | IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private void withSession(java.util.function.Consumer<Session> action) {
        try (Session s = sessions.openSession()) {
            action.accept(s);
        }
    }

    private static void build(java.util.function.UnaryOperator<EngineBuilder> options) {
        options.apply(Engine.builder(TestDatabase.H2.url()).pool(Backends.names().get(0))).build().close();
    }
}
