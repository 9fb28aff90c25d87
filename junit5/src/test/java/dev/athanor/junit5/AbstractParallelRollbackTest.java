package dev.athanor.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.SessionFactory;
import dev.athanor.testing.TestDatabase;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Two tests run at the same time on one database and one table: each commits a row (for its test), waits until the
 * other has committed too, and sees only its own; neither row is left afterwards. The latches make the tests overlap
 * for sure: a run that does not execute them in parallel fails at the first await instead of passing by luck.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
abstract class AbstractParallelRollbackTest {
    private static final long WAIT_SECONDS = 30;

    final TestDatabase db = database();
    /** Every engine of the class reaches this one database. */
    final String url = Tables.url(db);
    final String table = TestDatabase.uniqueName("rb_parallel");
    private final CountDownLatch inserted = new CountDownLatch(2);
    private final CountDownLatch checked = new CountDownLatch(2);

    @RegisterExtension
    final RollbackExtension rollback = RollbackExtension.of(url);

    abstract TestDatabase database();

    @BeforeAll
    void createTable() {
        Tables.create(db, url, table);
    }

    @AfterAll
    void nothingIsLeft() {
        try {
            assertThat(Tables.count(url, table)).isZero();
        } finally {
            Tables.drop(url, table);
        }
    }

    @Test
    @Timeout(60)
    void first(SessionFactory sessions) throws InterruptedException {
        seesOnlyItsOwnRow(sessions, "first");
    }

    @Test
    @Timeout(60)
    void second(SessionFactory sessions) throws InterruptedException {
        seesOnlyItsOwnRow(sessions, "second");
    }

    private void seesOnlyItsOwnRow(SessionFactory sessions, String mine) throws InterruptedException {
        sessions.useTransaction(s -> s.execute("INSERT INTO " + table + " (name) VALUES (?)", mine));
        inserted.countDown();
        assertThat(inserted.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the other test committed its row").isTrue();
        sessions.useTransaction(s -> assertThat(s.execute("SELECT name FROM " + table).scalars(String.class))
                .containsExactly(mine));
        checked.countDown();
        // Neither test ends (and rolls back) before both have looked: the two rows existed at the same time.
        assertThat(checked.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the other test looked too").isTrue();
    }
}
