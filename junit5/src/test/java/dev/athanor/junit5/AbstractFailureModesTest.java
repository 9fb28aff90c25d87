package dev.athanor.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.athanor.Engine;
import dev.athanor.IsolationLevel;
import dev.athanor.SessionFactory;
import dev.athanor.testing.TestDatabase;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * What the extension cannot roll back, seen from outside: test classes run through JUnit's test kit, their outcome
 * and the database checked afterwards with an ordinary engine. A test that ends the outer transaction fails with a
 * message naming the cause (and its row really is committed, so the failure is not a false alarm); a {@link Commit}
 * test really commits; an auto-commit engine is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFailureModesTest {
    /** What the fixtures below run on; set before each run (the fixtures run one at a time). */
    static volatile String target;
    static volatile String table;
    static volatile String ending;

    final TestDatabase db = database();
    /** Every engine of the class reaches this one database. */
    final String url = Tables.url(db);
    final String items = TestDatabase.uniqueName("rb_failures");
    final String madeInTest = TestDatabase.uniqueName("rb_ddl");

    abstract TestDatabase database();

    /** A statement that ends the transaction: DDL on H2 and MariaDB; PostgreSQL's DDL is transactional. */
    private String endingStatement(String newTable) {
        return db == TestDatabase.POSTGRESQL ? "COMMIT" : "CREATE TABLE " + newTable + " (id INT)";
    }

    @BeforeAll
    void createTable() {
        Tables.create(db, url, items);
        target = url;
        table = items;
        ending = endingStatement(madeInTest);
    }

    @AfterAll
    void dropTables() {
        Tables.drop(url, items);
        Tables.drop(url, madeInTest);
    }

    @Test
    void aTestThatEndsTheOuterTransactionFailsAndSaysWhy() {
        try {
            List<String> failures = failures(run(EndsTheTransaction.class), 1);
            assertThat(failures).singleElement().asString()
                    .contains("a rollback cannot undo what the test did")
                    .contains("the outer transaction of bind 'default' was ended during the test")
                    .contains("implicit commit")
                    .contains(ending.substring(0, ending.indexOf(' ') < 0 ? ending.length() : ending.indexOf(' ')));
            assertThat(Tables.count(url, items)).as("the row written before it was committed for real").isOne();
        } finally {
            deleteAll();
        }
    }

    @Test
    void aCommitTestCommitsForReal() {
        try {
            failures(run(CommitsForReal.class), 0);
            assertThat(Tables.count(url, items)).isOne();
        } finally {
            deleteAll();
        }
    }

    @Test
    void anAutocommitEngineIsRefused() {
        assertThat(failures(run(AutocommitEngine.class), 1)).singleElement().asString()
                .contains("an auto-commit connection (isolationLevel AUTOCOMMIT) is refused")
                .contains("@Commit");
        assertThat(Tables.count(url, items)).isZero();
    }

    private void deleteAll() {
        try (Engine e = Engine.create(url)) {
            e.useTransaction(c -> c.execute("DELETE FROM " + items));
        }
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    /** The messages of the failed tests, after checking that one test ran and {@code failed} of them failed. */
    private static List<String> failures(Events tests, int failed) {
        tests.assertStatistics(s -> s.started(1).failed(failed));
        return tests.failed().stream().map(e -> e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow())
                .map(AbstractFailureModesTest::messages).toList();
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }

    /** Run only through the test kit (surefire skips nested classes). */
    static class EndsTheTransaction {
        @RegisterExtension
        final RollbackExtension rollback = RollbackExtension.of(target);

        @Test
        void writesThenEndsTheTransaction(SessionFactory sessions, Engine engine) {
            sessions.useTransaction(s -> s.execute("INSERT INTO " + table + " (name) VALUES ('written before')"));
            engine.useConnection(c -> c.execute(ending));
        }
    }

    static class CommitsForReal {
        @RegisterExtension
        final RollbackExtension rollback = RollbackExtension.of(target);

        @Test
        @Commit
        void commits(Engine engine) {
            engine.useTransaction(c -> c.execute("INSERT INTO " + table + " (name) VALUES ('committed')"));
        }
    }

    static class AutocommitEngine {
        @RegisterExtension
        final RollbackExtension rollback = RollbackExtension.of(target,
                b -> b.isolationLevel(IsolationLevel.AUTOCOMMIT));

        @Test
        void writes(Engine engine) {
            engine.useConnection(c -> c.execute("INSERT INTO " + table + " (name) VALUES ('autocommitted')"));
        }
    }
}
