package dev.athanor.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.PoolTimeoutException;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;
import dev.athanor.mybatis.example.Blog;
import dev.athanor.mybatis.example.BlogMapper;
import dev.athanor.mybatis.example.User;
import dev.athanor.mybatis.example.UserMapper;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Session behaviours that do not depend on the database or the pool, on H2. */
class MyBatisSessionBehaviourTest {
    private ExampleDatabases dbs;

    private MyBatisSessionFactory orm(ExampleDatabases dbs) {
        this.dbs = dbs;
        SessionFactory sessions = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
        return MyBatisSessionFactory.builder(sessions)
                .mapper(UserMapper.class)
                .mapper(CachedUserMapper.class)
                .mapper(Email.Mapper.class)
                .mapper(BlogMapper.class, "blogs")
                .xmlMapper("dev/athanor/mybatis/example/BlogReports.xml", "blogs")
                .typeHandler(Email.class, new Email.Handler())
                .configure(c -> c.setMapUnderscoreToCamelCase(true))
                .build();
    }

    private MyBatisSessionFactory orm() {
        return orm(ExampleDatabases.create(TestDatabase.H2, "dbcp"));
    }

    @AfterEach
    void tearDown() {
        if (dbs != null) {
            dbs.close();
        }
    }

    @Test
    void theSqlSessionViewRunsStatementsByIdButLeavesTheTransactionToTheSession() {
        MyBatisSessionFactory orm = orm();
        try (MyBatisSession s = orm.openSession()) {
            s.mapper(BlogMapper.class).insert(new Blog(1L, "first"));
            SqlSession blogs = s.sqlSession("blogs");
            blogs.insert("dev.athanor.mybatis.example.BlogMapper.insert", new Blog(1L, "second"));
            assertThat(blogs.<String>selectList("blogReports.titles")).containsExactly("first", "second");
            assertThat(blogs.getMapper(BlogMapper.class)).isSameAs(s.mapper(BlogMapper.class));
            assertThat(blogs.getConfiguration()).isSameAs(orm.configuration("blogs"));
            assertThatThrownBy(blogs::commit).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("the Athanor session owns the transaction; call commit() on the"
                            + " MyBatisSession");
            assertThatThrownBy(() -> blogs.rollback(true)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(blogs::close).isInstanceOf(UnsupportedOperationException.class);
            s.commit();
            assertThat(blogs.<String>selectList("blogReports.titles")).as("the view follows the session")
                    .hasSize(2);
            s.commit();
        }
        assertThat(dbs.blogs()).isEqualTo(2);
    }

    @Test
    void aMapperOfAClosedSessionFailsClearly() {
        MyBatisSessionFactory orm = orm();
        UserMapper users;
        try (MyBatisSession s = orm.openSession()) {
            users = s.mapper(UserMapper.class);
            users.insert(new User("ann", "ann@example.com"));
        }
        assertThatThrownBy(users::count).isInstanceOf(IllegalStateException.class)
                .hasMessage("[users-dbcp] this session is closed; open a new one with openSession() (a closed session"
                        + " cannot be reused)");
        assertThat(dbs.users()).as("close rolled back").isZero();
        assertThat(dbs.users.status().checkedOut()).isZero();
    }

    @Test
    void aPoolTimeoutReachesTheMapperCallerAsItself() {
        MyBatisSessionFactory orm = orm(ExampleDatabases.create(TestDatabase.H2, "dbcp",
                b -> b.poolSize(1).maxOverflow(0).poolTimeout(Duration.ofMillis(200))));
        try (Session holder = orm.openSession()) {
            holder.execute("SELECT count(*) FROM users");
            try (MyBatisSession s = orm.openSession()) {
                assertThatThrownBy(() -> s.mapper(UserMapper.class).count())
                        .isInstanceOf(PoolTimeoutException.class)
                        .hasMessageContaining("QueuePool limit of size 1 overflow 0 reached");
            }
        }
    }

    @Test
    void flushStatementsSendsTheBatchAndReportsIt() {
        MyBatisSessionFactory orm = orm();
        try (MyBatisSession s = orm.openSession(ExecutorType.BATCH)) {
            UserMapper users = s.mapper(UserMapper.class);
            for (String name : List.of("ann", "bob", "cid")) {
                users.insert(new User(name, name + "@example.com"));
            }
            List<BatchResult> results = s.flushStatements();
            assertThat(results).hasSize(1);
            assertThat(results.get(0).getUpdateCounts()).hasSize(3);
            assertThat(results.get(0).getParameterObjects()).extracting(u -> ((User) u).getId()).doesNotContainNull();
            assertThat(s.flushStatements()).isEmpty();
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(3);
    }

    @Test
    void aTransactionThatRolledBackToASavepointLeavesNoRolledBackRowsInTheSecondLevelCache() {
        MyBatisSessionFactory orm = orm();
        orm.useTransaction(s -> s.mapper(CachedUserMapper.class).insert(new User("ann", "ann@example.com")));
        try (MyBatisSession s = orm.openSession()) {
            CachedUserMapper users = s.mapper(CachedUserMapper.class);
            try (SessionSavepoint sp = s.beginNested()) {
                users.insert(new User("bob", "bob@example.com"));
                assertThat(users.names()).containsExactly("ann", "bob");
                sp.rollback();
            }
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> s.mapper(CachedUserMapper.class).names());
        assertThat(names).containsExactly("ann");

        List<String> again = orm.inTransaction(s -> s.mapper(CachedUserMapper.class).names());
        assertThat(again).containsExactly("ann");
        assertThat(orm.configuration("default").getCache(CachedUserMapper.class.getName()).getSize())
                .as("an ordinary commit fills the second-level cache").isEqualTo(1);
    }

    @Test
    void registeredTypeHandlersMapValues() {
        MyBatisSessionFactory orm = orm();
        Email email = orm.inTransaction(s -> {
            s.mapper(UserMapper.class).insert(new User("ann", "ann@example.com"));
            return s.mapper(Email.Mapper.class).of("ann");
        });
        assertThat(email).isEqualTo(new Email("ann", "example.com"));
    }

    @Test
    void theSessionIsTheMyBatisSessionEverywhere() {
        MyBatisSessionFactory orm = orm();
        try (MyBatisSession s = orm.openSession()) {
            assertThat(s.unwrap(MyBatisSession.class)).isSameAs(s);
            assertThat(s.bindNames()).containsExactly("default", "blogs");
            assertThat(s.isolationLevel(null)).isSameAs(s);
            assertThat(s.toString()).startsWith("MyBatisSession[users-dbcp, SIMPLE");
        }
        try (Session plain = orm.sessionFactory().openSession()) {
            assertThatThrownBy(() -> plain.unwrap(MyBatisSession.class)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Tag("virtual-threads")
    @Timeout(60)
    void inScopeBlocksOnVirtualThreadsRunMappersOnBothDatabases() throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            Assumptions.abort("this JDK has no virtual threads");
            return;
        }
        MyBatisSessionFactory orm = orm();
        ScopedSession<MyBatisSession> db = ScopedSession.threadLocal(orm);
        int tasks = 200;
        try {
            List<Future<?>> futures = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                int n = i;
                futures.add(executor.submit(() -> db.inScope(() -> {
                    User u = new User("v" + n, "v" + n + "@example.com");
                    db.current().mapper(UserMapper.class).insert(u);
                    db.current().mapper(BlogMapper.class).insert(new Blog(u.getId(), "post " + n));
                })));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(dbs.users()).isEqualTo(tasks);
        assertThat(dbs.blogs()).isEqualTo(tasks);
        assertThat(dbs.users.status().checkedOut() + dbs.blogs.status().checkedOut()).isZero();
    }
}
