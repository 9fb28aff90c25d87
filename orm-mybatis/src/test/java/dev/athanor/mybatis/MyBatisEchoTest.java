package dev.athanor.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import dev.athanor.SessionFactory;
import dev.athanor.StatementEvent;
import dev.athanor.StatementListener;
import dev.athanor.mybatis.example.Blog;
import dev.athanor.mybatis.example.BlogMapper;
import dev.athanor.mybatis.example.User;
import dev.athanor.mybatis.example.UserMapper;
import dev.athanor.testing.LogCapture;
import dev.athanor.testing.TestDatabase;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.ibatis.session.ExecutorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** MyBatis statements on Athanor's SQL log, in the engine's own format. */
class MyBatisEchoTest {
    private static final String MS = " \\(\\d+\\.\\d{3} ms\\)";

    private final Logger sqlLogger = (Logger) LoggerFactory.getLogger("dev.athanor.sql");
    private Level previous;
    private LogCapture log;
    private ExampleDatabases dbs;

    @BeforeEach
    void capture() {
        previous = sqlLogger.getLevel();
        sqlLogger.setLevel(Level.INFO);
        log = LogCapture.of("dev.athanor.sql");
    }

    @AfterEach
    void release() {
        log.close();
        sqlLogger.setLevel(previous);
        if (dbs != null) {
            dbs.close();
        }
    }

    private MyBatisSessionFactory orm(UnaryOperator<dev.athanor.EngineBuilder> options) {
        dbs = ExampleDatabases.create(TestDatabase.H2, "dbcp", options);
        SessionFactory sessions = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
        return MyBatisSessionFactory.builder(sessions)
                .mapper(UserMapper.class)
                .mapper(BlogMapper.class, "blogs")
                .configure(c -> c.setMapUnderscoreToCamelCase(true))
                .build();
    }

    private List<String> lines(String prefix) {
        return log.events().stream().map(e -> e.getFormattedMessage()).filter(m -> m.startsWith(prefix))
                .collect(Collectors.toList());
    }

    @Test
    void mapperStatementsAreLoggedLikeTheEnginesOwn() {
        MyBatisSessionFactory orm = orm(b -> b.echo(true));
        int before = log.events().size();
        orm.useTransaction(s -> {
            User ann = new User("ann", "ann@example.com");
            s.mapper(UserMapper.class).insert(ann);
            s.execute("INSERT INTO users (name, email) VALUES (:name, :email)",
                    Map.of("name", "bob", "email", "bob@example.com"));
            s.mapper(UserMapper.class).findById(ann.getId());
            s.mapper(BlogMapper.class).findByUser(ann.getId());
        });
        List<String> users = lines("[users-dbcp] ");
        assertThat(users.subList(users.size() - 3, users.size())).satisfiesExactly(
                l -> assertThat(l).matches("\\[users-dbcp] INSERT INTO users \\(name, email\\) VALUES \\(\\?, \\?\\)"
                        + " \\{name=ann, email=ann@example.com}" + MS),
                l -> assertThat(l).matches("\\[users-dbcp] INSERT INTO users \\(name, email\\) VALUES"
                        + " \\(:name, :email\\) \\{name=bob, email=bob@example.com}" + MS),
                l -> assertThat(l).matches("\\[users-dbcp] SELECT id, name, email FROM users WHERE id = \\?"
                        + " \\{id=\\d+}" + MS));
        assertThat(lines("[blogs-dbcp] ")).last().asString()
                .as("XML SQL on one line").matches("\\[blogs-dbcp] SELECT id, user_id, title FROM blogs WHERE"
                        + " user_id = \\? ORDER BY id \\{userId=\\d+}" + MS);
        assertThat(log.events().size() - before).isEqualTo(4);
    }

    @Test
    void batchesAreLoggedOncePerStatementWhenSent() {
        MyBatisSessionFactory orm = orm(b -> b.echo(true));
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            for (int i = 0; i < 3; i++) {
                s.mapper(UserMapper.class).insert(new User("u" + i, "u" + i + "@example.com"));
            }
            s.mapper(BlogMapper.class).insert(new Blog(1L, "hello"));
            assertThat(lines("[users-dbcp] INSERT")).as("queued, not sent").isEmpty();
            s.commit();
        }
        assertThat(lines("[users-dbcp] INSERT")).singleElement().asString()
                .matches("\\[users-dbcp] INSERT INTO users \\(name, email\\) VALUES \\(\\?, \\?\\)"
                        + " \\[batch of 3]" + MS);
        assertThat(lines("[blogs-dbcp] INSERT")).singleElement().asString().contains("[batch of 1]");
    }

    @Test
    void hiddenParametersStayHidden() {
        MyBatisSessionFactory orm = orm(b -> b.echo(true).hideParameters(true));
        orm.useTransaction(s -> s.mapper(UserMapper.class).insert(new User("ann", "secret@example.com")));
        assertThat(lines("[users-dbcp] INSERT")).singleElement().asString()
                .matches("\\[users-dbcp] INSERT INTO users \\(name, email\\) VALUES \\(\\?, \\?\\) \\[parameters"
                        + " hidden]" + MS);
        assertThat(log.events()).noneMatch(e -> e.getFormattedMessage().contains("secret"));
    }

    @Test
    void nothingIsLoggedWithoutEcho() {
        MyBatisSessionFactory orm = orm(b -> b);
        orm.useTransaction(s -> s.mapper(UserMapper.class).insert(new User("ann", "ann@example.com")));
        assertThat(log.events()).isEmpty();
        // Athanor's statement hook is registered, but wraps nothing while the engine watches no statements.
        Object handler = new Object();
        assertThat(orm.configuration("default").getInterceptors()).singleElement()
                .satisfies(i -> assertThat(i.plugin(handler)).isSameAs(handler));
    }

    @Test
    void statementListenersAddedToTheEngineLaterSeeMyBatisStatements() {
        MyBatisSessionFactory orm = orm(b -> b);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        dbs.users.addStatementListener(new StatementListener() {
            @Override
            public void afterStatement(StatementEvent s) {
                seen.add(s.engineName() + " " + s.sql() + " " + s.parameterNames() + " rows=" + s.rowCount());
            }
        });
        orm.useTransaction(s -> s.mapper(UserMapper.class).insert(new User("bo", "bo@example.com")));
        assertThat(seen).singleElement().asString().startsWith(dbs.users.name() + " INSERT INTO")
                .contains("[name, email]").endsWith("rows=1");
        assertThat(log.events()).as("no echo: listeners only").isEmpty();
    }
}
