package dev.athanor.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.SessionFactory;
import dev.athanor.hibernate.example.Blog;
import dev.athanor.hibernate.example.User;
import dev.athanor.testing.LogCapture;
import dev.athanor.testing.TestDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** The builder's checks, the echo, and the module's use of Hibernate's public API and SPI only. On H2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HibernateSessionFactoryBuilderTest {
    private static final String MS = " \\(\\d+\\.\\d{3} ms\\)";
    private HibernateDatabases dbs;
    private SessionFactory sessions;

    @BeforeAll
    void setUp() {
        dbs = new HibernateDatabases(TestDatabase.H2, "hikari");
        sessions = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
    }

    @AfterAll
    void tearDown() {
        dbs.close();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheBadValue() {
        assertThatThrownBy(() -> HibernateSessionFactory.builder(sessions)
                .entity(User.class, "posts")
                .entity(String.class)
                .property("hibernate.connection.provider_class", "com.example.Pool")
                .savepointPolicy(null)
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'posts', which is not a bind").hasMessageContaining("[default, blogs]")
                .hasMessageContaining("java.lang.String is not an @Entity")
                .hasMessageContaining("'hibernate.connection.provider_class' is not allowed")
                .hasMessageContaining("Athanor provides the connections")
                .hasMessageContaining("savepointPolicy must be one of [CLEAR, REFRESH]");
    }

    @Test
    void theSecondLevelCacheIsRefused() {
        assertThatThrownBy(() -> HibernateSessionFactory.builder(sessions).entity(User.class)
                .property("hibernate.cache.use_second_level_cache", true)
                .property("hibernate.cache.use_query_cache", "true")
                .property("hibernate.cache.region.factory_class", "jcache")
                .entity(CachedNote.class)
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'hibernate.cache.use_second_level_cache' = 'true' is not allowed")
                .hasMessageContaining("'hibernate.cache.use_query_cache' = 'true' is not allowed")
                .hasMessageContaining("'hibernate.cache.region.factory_class' = 'jcache' is not allowed")
                .hasMessageContaining(CachedNote.class.getName() + " asks for the second-level cache");
        // Turning it off explicitly is fine.
        try (HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions).entity(User.class)
                .property("hibernate.cache.use_second_level_cache", false).build()) {
            assertThat(orm.hibernate("default").getSessionFactoryOptions().isSecondLevelCacheEnabled()).isFalse();
        }
    }

    @Test
    void aFactoryWithoutEntitiesIsRefused() {
        assertThatThrownBy(() -> HibernateSessionFactory.builder(sessions).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no entity registered");
    }

    @Test
    void aBindWithoutEntitiesHasNoHibernateSession() {
        try (HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions).entity(User.class).build();
             HibernateSession s = orm.openSession()) {
            assertThat(orm.entities()).containsOnlyKeys(User.class);
            assertThatThrownBy(() -> s.orm("blogs")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("no entity is registered on bind 'blogs'")
                    .hasMessageContaining(User.class.getName() + " on [default]");
            assertThatThrownBy(() -> s.orm("posts")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("posts");
        }
    }

    @Test
    void withEchoHibernatesStatementsAppearOnTheSqlLogInTheEnginesFormat() {
        List<String> lines = echoed(b -> b, 1);
        assertThat(lines).anyMatch(l -> l.matches("\\[users-echo\\] insert into hb_users \\(email,name,id\\)"
                + " values \\(\\?,\\?,\\?\\) \\{\\?1=u0@example.com, \\?2=u0, \\?3=\\d+\\}" + MS));
        assertThat(lines).anyMatch(l -> l.startsWith("[users-echo] select ") && l.contains("hb_users_seq"));
    }

    @Test
    void echoedBatchesAreOneLinePerBatchAndHiddenParametersStayHidden() {
        List<String> lines = echoed(b -> b.hideParameters(true), 120);
        assertThat(lines).filteredOn(l -> l.startsWith("[users-echo] insert into hb_users"))
                .containsExactly(
                        "[users-echo] insert into hb_users (email,name,id) values (?,?,?) [batch of 50]",
                        "[users-echo] insert into hb_users (email,name,id) values (?,?,?) [batch of 50]",
                        "[users-echo] insert into hb_users (email,name,id) values (?,?,?) [batch of 20]");
        assertThat(String.join("\n", lines)).doesNotContain("u1@example.com");
    }

    /** The SQL log lines of persisting {@code users} users on an echoing engine, the times cut off the batch lines. */
    private List<String> echoed(UnaryOperator<EngineBuilder> options, int users) {
        Logger sql = (Logger) LoggerFactory.getLogger("dev.athanor.sql");
        Level previous = sql.getLevel();
        sql.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.athanor.sql");
             Engine echoing = options.apply(dbs.usersEngine().pool("hikari").poolName("users-echo").echo(true))
                     .build();
             HibernateSessionFactory orm = HibernateSessionFactory.builder(SessionFactory.builder().bind(echoing)
                     .build()).entity(User.class).property("hibernate.jdbc.batch_size", users > 1 ? 50 : 1)
                     .build()) {
            orm.useTransaction(s -> {
                for (int i = 0; i < users; i++) {
                    s.orm().persist(new User("u" + i, "u" + i + "@example.com"));
                }
            });
            echoing.useTransaction(c -> c.execute("DELETE FROM hb_users"));
            return log.events().stream().map(ILoggingEvent::getFormattedMessage)
                    .map(l -> l.contains("[batch of") ? l.replaceAll(" \\(\\d+\\.\\d{3} ms\\)$", "") : l)
                    .collect(Collectors.toList());
        } finally {
            sql.setLevel(previous);
        }
    }

    @Test
    void theMainCodeUsesNoInternalHibernatePackage() throws IOException {
        // Hibernate's *.internal packages change without notice; the module keeps to its API and SPI packages.
        Path main = Path.of("src", "main", "java");
        assertThat(main).isDirectory();
        List<String> internal;
        try (Stream<Path> files = Files.walk(main)) {
            internal = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream()
                            .filter(l -> l.matches(".*org\\.hibernate\\.[\\w.]*internal.*"))
                            .map(l -> f.getFileName() + ": " + l.trim());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertThat(internal).isEmpty();
    }

    @Test
    void anEntityRegisteredOnTwoBindsMustBeNamed() {
        try (HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions).entity(Blog.class)
                .entity(Blog.class, "blogs").build();
             HibernateSession s = orm.openSession()) {
            assertThat(orm.entities()).containsEntry(Blog.class, List.of("default", "blogs"));
            assertThatThrownBy(() -> s.orm(Blog.class)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[default, blogs]");
        }
    }
}
