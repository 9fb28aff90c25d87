package dev.athanor.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.Engine;
import dev.athanor.SessionFactory;
import dev.athanor.mybatis.example.BlogMapper;
import dev.athanor.mybatis.example.User;
import dev.athanor.mybatis.example.UserMapper;
import dev.athanor.testing.TestDatabase;

import java.util.List;
import java.util.Map;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.ExecutorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link MyBatisSessionFactoryBuilder#build()} accepts and refuses; opens no connection. */
class MyBatisSessionFactoryBuilderTest {
    private Engine users;
    private Engine blogs;
    private SessionFactory sessions;

    @BeforeEach
    void setUp() {
        users = Engine.builder(TestDatabase.H2.url()).poolName("users").build();
        blogs = Engine.builder(TestDatabase.H2.url()).poolName("blogs").build();
        sessions = SessionFactory.builder().bind(users).bind("blogs", blogs).build();
    }

    @AfterEach
    void tearDown() {
        users.close();
        blogs.close();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheBindsThereAre() {
        assertThatThrownBy(() -> MyBatisSessionFactory.builder(sessions)
                .mapper(BlogMapper.class, "blogz")
                .mapper(User.class)
                .xmlMapper("no/such/Mapper.xml", "blogs")
                .build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "mapper dev.athanor.mybatis.example.BlogMapper is bound to 'blogz', which is not a bind of"
                                + " session factory 'users'; its binds are [default, blogs]",
                        "mapper dev.athanor.mybatis.example.User must be an interface, was a class",
                        "XML mapper 'no/such/Mapper.xml' (bind 'blogs') is not on the classpath"));
    }

    @Test
    void aMapperWithoutABindNeedsADefaultBind() {
        SessionFactory named = SessionFactory.builder().bind("users", users).bind("blogs", blogs).build();
        assertThatThrownBy(() -> MyBatisSessionFactory.builder(named).mapper(UserMapper.class).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mapper dev.athanor.mybatis.example.UserMapper has no bind name, and session"
                        + " factory 'users' has no default bind; name one of its binds [users, blogs]");
    }

    @Test
    void aMapperThatIsNotRegisteredIsAClearErrorListingTheRegisteredOnes() {
        MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions).mapper(BlogMapper.class, "blogs").build();
        try (MyBatisSession s = orm.openSession()) {
            assertThatThrownBy(() -> s.mapper(UserMapper.class))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("[users] mapper dev.athanor.mybatis.example.UserMapper is not registered; registered"
                            + " mappers: dev.athanor.mybatis.example.BlogMapper on [blogs]. Register it with"
                            + " MyBatisSessionFactory.builder(sessions).mapper(UserMapper.class)");
            assertThatThrownBy(() -> s.mapper(BlogMapper.class, "default"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("BlogMapper is not registered on bind 'default'; registered mappers:"
                            + " dev.athanor.mybatis.example.BlogMapper on [blogs]");
            assertThatThrownBy(() -> s.mapper(BlogMapper.class, "blogz"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("[users] no bind named 'blogz'; the binds are [default, blogs]");
        }
        assertThat(users.status().checkedOut() + blogs.status().checkedOut()).isZero();
    }

    @Test
    void aMapperOnSeveralBindsMustBeAskedForByBind() {
        MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
                .mapper(UserMapper.class)
                .mapper(UserMapper.class, "blogs")
                .build();
        assertThat(orm.mappers()).isEqualTo(Map.of(UserMapper.class, List.of("default", "blogs")));
        try (MyBatisSession s = orm.openSession()) {
            assertThatThrownBy(() -> s.mapper(UserMapper.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is registered on the binds [default, blogs]; name one:"
                            + " mapper(UserMapper.class, \"default\")");
            assertThat(s.mapper(UserMapper.class, "blogs")).isNotSameAs(s.mapper(UserMapper.class, "default"))
                    .isSameAs(s.mapper(UserMapper.class, "blogs"));
        }
    }

    @Test
    void eachBindHasItsOwnConfigurationWithTheBindAsEnvironmentAndTheDialectAsDatabaseId() {
        MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
                .mapper(UserMapper.class)
                .mapper(BlogMapper.class, "blogs")
                .executorType(ExecutorType.REUSE)
                .build();
        assertThat(orm.configuration("default").getEnvironment().getId()).isEqualTo("default");
        assertThat(orm.configuration("blogs").getEnvironment().getId()).isEqualTo("blogs");
        assertThat(orm.configuration("blogs").getDatabaseId()).isEqualTo("h2");
        assertThat(orm.configuration("default").hasMapper(BlogMapper.class)).isFalse();
        assertThat(orm.configuration("blogs").hasStatement("dev.athanor.mybatis.example.BlogMapper.findByUser"))
                .as("read from BlogMapper.xml beside the interface").isTrue();
        assertThat(orm.openSession().executorType()).isEqualTo(ExecutorType.REUSE);
        assertThat(orm.sessionFactory()).isNotSameAs(sessions);
        assertThat(orm.sessionFactory().bindNames()).isEqualTo(sessions.bindNames());
        assertThat(users.status().checkedOut()).isZero();
    }

    @Test
    void theEnvironmentMustNotBeReplaced() {
        assertThatThrownBy(() -> MyBatisSessionFactory.builder(sessions)
                .configure(c -> c.setEnvironment(new Environment("mine", c.getEnvironment().getTransactionFactory(),
                        users.dataSource())))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("configure(...) replaced the environment of bind 'default'")
                .hasMessageContaining("configure(...) replaced the environment of bind 'blogs'");
    }

    @Test
    void brokenMapperSqlIsReportedAtBuild() {
        assertThatThrownBy(() -> MyBatisSessionFactory.builder(sessions)
                .xmlMapper("dev/athanor/mybatis/Broken.xml")
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("XML mapper 'dev/athanor/mybatis/Broken.xml' (bind 'default')");
    }
}
