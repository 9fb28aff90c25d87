package dev.athanor.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ConfigurationException;
import dev.athanor.ScopedSession;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;
import dev.athanor.hibernate.example.Blog;
import dev.athanor.hibernate.example.User;
import dev.athanor.mybatis.MyBatisSession;
import dev.athanor.mybatis.MyBatisSessionFactory;
import dev.athanor.testing.TestDatabase;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hibernate sessions inside Athanor sessions on a real database, over the seeds' users/blogs layout (two databases,
 * each with its own entity): written once, run on H2, PostgreSQL and MariaDB by thin subclasses, and on every pool
 * backend. The databases and the factory are made once per backend (booting Hibernate is the slow part); each test
 * starts from empty tables and must leave no connection checked out.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"dbcp", "c3p0", "hikari"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractHibernateTest {
    static final int BATCH_ROWS = 10_000;
    static final int BATCH_SIZE = 50;

    @Parameter
    String backend;

    protected HibernateDatabases dbs;
    protected HibernateSessionFactory orm;
    /** The JDBC methods Hibernate called on the connections it was given, since the last test began. */
    protected final List<String> connectionCalls = java.util.Collections.synchronizedList(new ArrayList<>());

    protected abstract TestDatabase database();

    @BeforeParameterizedClassInvocation
    void setUpDatabases() {
        Backends.assumePresent(backend);
        dbs = new HibernateDatabases(database(), backend);
        orm = factory(SavepointPolicy.CLEAR);
    }

    HibernateSessionFactory factory(SavepointPolicy policy) {
        SessionFactory sessions = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
        return HibernateSessionFactory.builder(sessions)
                .entity(User.class)
                .entity(Blog.class, "blogs")
                .property("hibernate.jdbc.batch_size", BATCH_SIZE)
                .property("hibernate.order_inserts", true)
                .savepointPolicy(policy)
                .connectionCalls((bind, method) -> connectionCalls.add(method))
                .build();
    }

    @AfterParameterizedClassInvocation
    void tearDownDatabases() {
        try {
            if (orm != null) {
                orm.close();
            }
        } finally {
            if (dbs != null) {
                dbs.close();
            }
        }
    }

    @BeforeEach
    void emptyTables() {
        dbs.empty();
        connectionCalls.clear();
    }

    @AfterEach
    void noConnectionIsLeftCheckedOut() {
        assertThat(dbs.users.status().checkedOut()).as("users connections checked out after the test").isZero();
        assertThat(dbs.blogs.status().checkedOut()).as("blogs connections checked out after the test").isZero();
    }

    private static User user(String name) {
        return new User(name, name + "@example.com");
    }

    private static List<String> names(org.hibernate.Session orm) {
        return orm.createSelectionQuery("select u.name from User u order by u.name", String.class).getResultList();
    }

    @Test
    void persistFindDirtyUpdateQueryAndDeleteAreWrittenAtCommit() {
        long annId;
        try (HibernateSession s = orm.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);
            s.orm().persist(user("bob"));
            assertThat(dbs.users()).as("nothing is visible outside before the commit").isZero();
            s.commit();
            assertThat(dbs.users()).isEqualTo(2);
            annId = ann.getId();

            assertThat(s.orm().find(User.class, annId)).as("identity map: the same object").isSameAs(ann);
            ann.setName("Ann");                                   // dirty checking, no explicit update
            s.commit();
            assertThat(dbs.userName(annId)).isEqualTo("Ann");

            assertThat(names(s.orm())).as("JPQL").containsExactly("Ann", "bob");
            CriteriaBuilder cb = s.orm().getCriteriaBuilder();
            CriteriaQuery<User> q = cb.createQuery(User.class);
            Root<User> root = q.from(User.class);
            q.where(cb.equal(root.get("email"), "bob@example.com"));
            User bob = s.orm().createQuery(q).getSingleResult();
            assertThat(bob.getName()).as("criteria").isEqualTo("bob");

            s.orm().remove(bob);
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
        assertThat(dbs.userName(annId)).isEqualTo("Ann");
    }

    @Test
    void rollbackLeavesNothingAndDetachesTheEntities() {
        try (HibernateSession s = orm.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);
            s.orm().flush();
            s.orm(Blog.class).persist(new Blog(ann.getId(), "lost"));
            s.rollback();
            assertThat(s.orm().contains(ann)).as("detached by the rollback").isFalse();
            assertThat(names(s.orm())).isEmpty();
            s.orm().persist(user("cid"));
            s.commit();
        }
        assertThat(dbs.users()).as("only the later unit of work").isEqualTo(1);
        assertThat(dbs.blogs()).isZero();
    }

    @Test
    void closingTheSessionWithoutCommittingWritesNothing() {
        User ann = user("ann");
        try (HibernateSession s = orm.openSession()) {
            s.orm().persist(ann);
            s.orm("blogs").persist(new Blog(1, "lost"));
            s.orm().flush();
            assertThat(s.isActive()).isTrue();
        }
        assertThat(dbs.users()).isZero();
        assertThat(dbs.blogs()).isZero();
        try (HibernateSession s = orm.openSession()) {
            s.orm().persist(user("bob"));
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void pendingChangesAreFlushedBeforeTheSessionsOwnSqlAndBeforeASavepoint() {
        try (HibernateSession s = orm.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);                                 // sequence id: the INSERT waits for a flush
            assertThat(s.execute("SELECT count(*) FROM hb_users").scalar(Long.class)).isEqualTo(1);
            ann.setName("Ann");
            try (SessionSavepoint sp = s.beginNested()) {
                s.orm().persist(user("bob"));
                sp.rollback();
            }
            s.commit();
            assertThat(dbs.userName(ann.getId())).as("the change made before the savepoint survives its rollback")
                    .isEqualTo("Ann");
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void rollingBackToASavepointClearsTheSessionByDefault() {
        try (HibernateSession s = orm.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);
            try (SessionSavepoint sp = s.beginNested()) {
                ann.setName("changed");
                User bob = user("bob");
                s.orm().persist(bob);
                s.orm().flush();
                sp.rollback();
                assertThat(s.orm().contains(ann)).as("CLEAR detaches everything").isFalse();
                assertThat(s.orm().contains(bob)).isFalse();
            }
            assertThat(s.orm().find(User.class, ann.getId()).getName()).as("read again: the savepoint's state")
                    .isEqualTo("ann");
            assertThat(names(s.orm())).containsExactly("ann");
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void rollingBackToASavepointRefreshesManagedEntitiesUnderTheRefreshPolicy() {
        try (HibernateSessionFactory refreshing = factory(SavepointPolicy.REFRESH);
             HibernateSession s = refreshing.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);
            User bob;
            try (SessionSavepoint sp = s.beginNested()) {
                ann.setName("flushed");
                s.orm().flush();
                ann.setEmail("unflushed@example.com");
                bob = user("bob");
                s.orm().persist(bob);
                sp.rollback();
            }
            assertThat(s.orm().contains(ann)).as("REFRESH keeps it managed").isTrue();
            assertThat(ann.getName()).as("its state as of the savepoint").isEqualTo("ann");
            assertThat(ann.getEmail()).isEqualTo("ann@example.com");
            assertThat(s.orm().contains(bob)).as("persisted after the savepoint: detached").isFalse();
            ann.setEmail("ann@example.org");                      // still dirty-checked: written at commit
            s.commit();
            assertThat(dbs.users()).isEqualTo(1);
        }
        String email = dbs.users.withConnection(c -> c.execute("SELECT email FROM hb_users").scalar(String.class));
        assertThat(email).isEqualTo("ann@example.org");
    }

    @Test
    void twoDatabasesCommitAndRollBackAsOneUnitOfWork() {
        long annId = orm.inTransaction(s -> {
            User ann = user("ann");
            s.orm().persist(ann);
            s.orm().flush();
            s.orm("blogs").persist(new Blog(ann.getId(), "Hello"));
            s.execute("blogs", "INSERT INTO hb_blogs (id, user_id, title) VALUES (:id, :u, :t)",
                    Map.of("id", 1_000_000, "u", ann.getId(), "t", "Again"));
            return ann.getId();
        });
        assertThat(dbs.users()).isEqualTo(1);
        assertThat(dbs.blogs()).isEqualTo(2);

        assertThatThrownBy(() -> orm.useTransaction(s -> {
            s.orm().persist(user("bob"));
            s.orm(Blog.class).persist(new Blog(annId, "Lost"));
            s.flush();
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(dbs.users()).isEqualTo(1);
        assertThat(dbs.blogs()).isEqualTo(2);

        List<String> titles = orm.inTransaction(s -> s.orm("blogs")
                .createSelectionQuery("select b.title from Blog b where b.userId = :u order by b.id", String.class)
                .setParameter("u", annId).getResultList());
        assertThat(titles).containsExactly("Hello", "Again");
    }

    @Test
    void hibernateMyBatisAndSqlShareOneTransaction() {
        MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(UserRows.class)
                .build();
        try (MyBatisSession s = mybatis.openSession()) {
            HibernateSession h = orm.join(s);
            assertThat(orm.join(s)).isSameAs(h);
            h.orm().persist(user("ann"));                         // flushed before the mapper's statement
            assertThat(s.mapper(UserRows.class).count()).as("MyBatis sees Hibernate's insert").isEqualTo(1);
            s.mapper(UserRows.class).insert(1_000_000, "bob", "bob@example.com");
            h.execute("INSERT INTO hb_users (id, name, email) VALUES (:id, :n, :e)",
                    Map.of("id", 1_000_001, "n", "cid", "e", "cid@example.com"));
            assertThat(names(h.orm())).as("Hibernate sees MyBatis's and SQL's inserts")
                    .containsExactly("ann", "bob", "cid");
            h.orm().persist(user("dan"));
            s.rollback();                                         // all four, gone together
            assertThat(s.mapper(UserRows.class).count()).isZero();

            h.orm().persist(user("eve"));
            s.mapper(UserRows.class).insert(1_000_002, "fay", "fay@example.com");
            s.commit();                                           // flushes Hibernate, commits everything
        }
        assertThat(dbs.users()).isEqualTo(2);
    }

    @Test
    void aMapperStatementSeesHibernatesPendingInsertAndChangeWithoutAFlush() {
        MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(UserRows.class)
                .build();
        long annId = orm.inTransaction(s -> {
            User ann = user("ann");
            s.orm().persist(ann);
            return ann.getId();
        });
        try (MyBatisSession s = mybatis.openSession()) {
            HibernateSession h = orm.join(s);
            h.orm().find(User.class, annId).setName("Ann");      // dirty, not flushed
            h.orm().persist(user("bob"));                         // pending insert (sequence id: not written yet)
            assertThat(s.mapper(UserRows.class).names()).as("the mapper sees both, in the same transaction")
                    .containsExactly("Ann", "bob");
            assertThat(dbs.users()).as("nothing is visible outside before the commit").isEqualTo(1);
            s.rollback();
            assertThat(s.mapper(UserRows.class).names()).as("the rollback undid both").containsExactly("ann");
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void theMyBatisSessionsOwnStatementsSeeHibernatesPendingInsertAndChangeWithoutAFlush() {
        MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(UserRows.class)
                .build();
        long annId = orm.inTransaction(s -> {
            User ann = user("ann");
            s.orm().persist(ann);
            return ann.getId();
        });
        try (MyBatisSession s = mybatis.openSession()) {
            HibernateSession h = orm.join(s);
            h.orm().find(User.class, annId).setName("Ann");      // dirty, not flushed
            h.orm().persist(user("bob"));                         // pending insert
            assertThat(s.execute("SELECT name FROM hb_users ORDER BY name").scalars(String.class))
                    .as("the MyBatis session's execute(...) sees both").containsExactly("Ann", "bob");
            h.orm().persist(user("cid"));
            s.executeMany("UPDATE hb_users SET email = :e WHERE name = :n",
                    List.of(Map.of("e", "c@x.org", "n", "cid")));
            assertThat(s.execute("SELECT email FROM hb_users WHERE name = 'cid'").scalar(String.class))
                    .as("executeMany(...) updated the pending insert").isEqualTo("c@x.org");
            s.rollback();
            assertThat(s.execute("SELECT name FROM hb_users").scalars(String.class)).as("the rollback undid all")
                    .containsExactly("ann");
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void aBatchMyBatisSessionsExecuteSeesItsQueuedInsertsAndHibernatesPendingOnes() {
        MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(UserRows.class)
                .build();
        try (MyBatisSession s = mybatis.openSession(org.apache.ibatis.session.ExecutorType.BATCH)) {
            HibernateSession h = orm.join(s);
            h.orm().persist(user("ann"));
            s.mapper(UserRows.class).insert(1_000_000, "bob", "bob@example.com"); // queued in the JDBC batch
            h.orm().persist(user("cid"));
            assertThat(s.execute("SELECT name FROM hb_users ORDER BY name").scalars(String.class))
                    .containsExactly("ann", "bob", "cid");
            s.rollback();
        }
        assertThat(dbs.users()).isZero();
    }

    @Test
    void aMapperStatementLeavesAHibernateSessionInManualFlushModeUnflushed() {
        MyBatisSessionFactory mybatis = MyBatisSessionFactory.builder(orm.sessionFactory()).mapper(UserRows.class)
                .build();
        try (MyBatisSession s = mybatis.openSession()) {
            HibernateSession h = orm.join(s);
            h.orm().setHibernateFlushMode(org.hibernate.FlushMode.MANUAL);
            h.orm().persist(user("ann"));
            assertThat(s.mapper(UserRows.class).count()).as("MANUAL: only flush() writes").isZero();
            h.flush();
            assertThat(s.mapper(UserRows.class).count()).isEqualTo(1);
            s.rollback();
        }
        assertThat(dbs.users()).isZero();
    }

    @Test
    void aSessionFromAFactoryWithoutTheListenerCannotBeJoined() {
        SessionFactory plain = SessionFactory.builder().bind(dbs.users).bind("blogs", dbs.blogs).build();
        try (var s = plain.openSession()) {
            HibernateSession h = orm.join(s);
            assertThatThrownBy(h::orm).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("without the Hibernate listener");
        }
    }

    @Test
    void hibernateNeverCommitsRollsBackSetsAutoCommitOrClosesTheConnection() {
        try (HibernateSession s = orm.openSession()) {
            User ann = user("ann");
            s.orm().persist(ann);
            s.commit();
            ann.setName("Ann");
            try (SessionSavepoint sp = s.beginNested()) {
                s.orm().remove(ann);
                s.orm().flush();
                sp.rollback();
            }
            s.orm().find(User.class, ann.getId());
            names(s.orm());
            s.rollback();
            s.orm("blogs").persist(new Blog(1, "post"));
            s.commit();
        }
        assertThat(connectionCalls).as("Hibernate did use its connections").contains("prepareStatement");
        assertThat(connectionCalls).doesNotContain("commit", "rollback", "setAutoCommit", "close", "setSavepoint",
                "releaseSavepoint", "abort");
    }

    @Test
    void aFailedFlushLeavesTheUnitRollbackOnlyUntilItIsRolledBack() {
        try (HibernateSession s = orm.openSession()) {
            s.orm().persist(user("ann"));
            s.orm().persist(new User("ann again", "ann@example.com"));   // duplicate email: fails at flush
            assertThatThrownBy(s::commit).isInstanceOf(jakarta.persistence.PersistenceException.class);
            assertThat(s.isActive()).as("the commit did not happen; the transaction is open").isTrue();
            assertThatThrownBy(s::commit).isInstanceOf(PendingRollbackException.class)
                    .hasMessageContaining("must be rolled back").hasMessageContaining("commit()");
            assertThatThrownBy(() -> s.orm().find(User.class, 1L)).isInstanceOf(PendingRollbackException.class);
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(PendingRollbackException.class);
            assertThatThrownBy(s::beginNested).isInstanceOf(PendingRollbackException.class);
            s.rollback();
            s.orm().persist(user("bob"));
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> names(s.orm()));
        assertThat(names).containsExactly("bob");
    }

    @Test
    void aFailedFlushInsideASavepointIsUndoneByRollingBackToIt() {
        try (HibernateSession s = orm.openSession()) {
            s.orm().persist(user("ann"));
            try (SessionSavepoint sp = s.beginNested()) {          // ann is flushed before the savepoint
                s.orm().persist(new User("ann again", "ann@example.com"));
                assertThatThrownBy(() -> s.orm().flush()).isInstanceOf(jakarta.persistence.PersistenceException.class);
                assertThatThrownBy(s::commit).isInstanceOf(PendingRollbackException.class)
                        .hasMessageContaining("flush");
                sp.rollback();
            }
            s.orm().persist(user("bob"));
            s.commit();
        }
        List<String> names = orm.inTransaction(s -> names(s.orm()));
        assertThat(names).containsExactly("ann", "bob");
    }

    @Test
    void hibernatesOwnTransactionApiIsRefusedBecauseAthanorOwnsTheTransaction() {
        try (HibernateSession s = orm.openSession()) {
            org.hibernate.Session h = s.orm();
            assertThatThrownBy(h::beginTransaction).hasMessageContaining("Athanor owns the transaction");
            assertThatThrownBy(() -> h.getTransaction().commit()).hasMessageContaining("Athanor owns the transaction");
            assertThatThrownBy(() -> h.getTransaction().rollback())
                    .hasMessageContaining("Athanor owns the transaction");
            assertThatThrownBy(() -> h.getTransaction().begin()).hasMessageContaining("Athanor owns the transaction");
            assertThatThrownBy(h::close).hasMessageContaining("close the Athanor session");
            assertThat(h.getTransaction().isActive()).isTrue();
            h.persist(user("ann"));
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    void anEntityOnTheWrongBindOrOnNoBindIsRefusedNamingTheBinds() {
        try (HibernateSession s = orm.openSession()) {
            assertThatThrownBy(() -> s.orm("blogs").persist(user("ann")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(User.class.getName()).hasMessageContaining("[default]")
                    .hasMessageContaining("not on 'blogs'");
            assertThatThrownBy(() -> s.orm().find(Blog.class, 1L)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[blogs]");
            assertThatThrownBy(() -> s.orm(String.class)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("registered on no bind").hasMessageContaining(Blog.class.getName() + " on");
            s.orm().persist(user("bob"));                          // the unit is still usable
            s.commit();
        }
        assertThat(dbs.users()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void scopedSessionsGiveEachThreadItsOwnHibernateSession() throws Exception {
        ScopedSession<HibernateSession> db = ScopedSession.threadLocal(orm);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Set<org.hibernate.Session> seen = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                futures.add(pool.submit(() -> db.inScope(() -> {
                    seen.add(db.current().orm());
                    db.current().orm().persist(user("s" + n));
                    if (n % 3 == 0) {
                        throw new IllegalStateException("rolled back " + n);
                    }
                })));
            }
            int failed = 0;
            for (Future<?> f : futures) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).hasMessageStartingWith("rolled back");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).as("a Hibernate session per scope").hasSize(12);
        assertThat(dbs.users()).isEqualTo(8);
        assertThat(db.has()).isFalse();
    }

    @Test
    @Timeout(120)
    void tenThousandInsertsGoOutInJdbcBatches() {
        try (HibernateSession warmUp = orm.openSession()) {      // JIT and driver warm-up, rolled back
            for (int i = 0; i < BATCH_ROWS / 10; i++) {
                warmUp.orm().persist(user("w" + i));
            }
            warmUp.flush();
        }
        connectionCalls.clear();
        long start = System.nanoTime();
        try (HibernateSession s = orm.openSession()) {
            for (int i = 0; i < BATCH_ROWS; i++) {
                s.orm().persist(user("b" + i));
                if (i % 1000 == 999) {
                    s.flush();                                    // Hibernate's advice for bulk work:
                    s.orm().clear();                              // keep the persistence context small
                }
            }
            s.commit();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(dbs.users()).isEqualTo(BATCH_ROWS);
        long prepared = connectionCalls.stream().filter("prepareStatement"::equals).count();
        assertThat(prepared).as("statements prepared: INSERTs go in batches of %d, plus sequence calls", BATCH_SIZE)
                .isLessThan(BATCH_ROWS / 10);
        BatchTimes.record(database(), backend, BATCH_ROWS, BATCH_SIZE, millis);
    }
}
