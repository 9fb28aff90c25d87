package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.testing.TestDatabase;

import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A handle given back is dead on a real server: a borrower that keeps the JDBC connection from
 * {@code engine.dataSource()} or {@code Connection.jdbc()} after returning it cannot roll back (or run anything in)
 * the transaction of the next borrower, who holds the same physical connection (pool of one). Before the fix, the
 * stale handle's {@code rollback()} undid the next borrower's insert, which then committed nothing.
 */
abstract class AbstractReturnedHandleTest {

    abstract TestDatabase database();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void aClosedDataSourceConnectionCannotRollBackTheNextBorrowersInsert(String backend) throws SQLException {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(1).maxOverflow(0).build()) {
            String table = createTable(target, engine);
            DataSource ds = engine.dataSource();
            java.sql.Connection stale = ds.getConnection();
            stale.close();
            expectStaleRollbackHarmless(target, engine, table, stale);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void jdbcOfAClosedConnectionCannotRollBackTheNextBorrowersInsert(String backend) throws SQLException {
        try (Target target = Target.on(database());
             Engine engine = target.engine(backend).poolSize(1).maxOverflow(0).build()) {
            String table = createTable(target, engine);
            Connection first = engine.connect();
            java.sql.Connection stale = first.jdbc();
            first.close();
            expectStaleRollbackHarmless(target, engine, table, stale);
        }
    }

    private static String createTable(Target target, Engine engine) {
        String table = target.table("handle");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)"));
        return table;
    }

    /**
     * The next borrower inserts; the stale handle tries to roll back and to write; the next borrower commits. The
     * server's row count is checked first: it is the data loss the issue reported.
     */
    private static void expectStaleRollbackHarmless(Target target, Engine engine, String table,
                                                    java.sql.Connection stale) throws SQLException {
        Throwable rollback;
        Throwable write;
        try (Connection next = engine.connect()) {
            next.execute("INSERT INTO " + table + " VALUES (1)");
            rollback = catchThrowable(stale::rollback);
            write = catchThrowable(() -> {
                try (Statement s = stale.createStatement()) {
                    s.execute("INSERT INTO " + table + " VALUES (2)");
                }
            });
            next.commit();
        }
        // The server's word, not the engine's: the next borrower's row is there, and nothing the stale handle ran.
        assertThat(target.adminCount("SELECT COUNT(*) FROM " + table + " WHERE id = 1"))
                .as("the next borrower's committed insert (a stale rollback() must not undo it)").isEqualTo(1);
        assertThat(target.adminCount("SELECT COUNT(*) FROM " + table))
                .as("rows committed (the stale handle's insert must not have run)").isEqualTo(1);
        assertThat(rollback).as("rollback() on a handle already returned").isInstanceOf(SQLException.class);
        assertThat(((SQLException) rollback).getSQLState()).as("its SQLState").isEqualTo("08003");
        assertThat(write).as("a statement on a handle already returned").isInstanceOf(SQLException.class);
        assertThat(stale.isClosed()).as("isClosed() of a handle already returned").isTrue();
        assertThat(engine.status().checkedOut()).as("borrowed at the end: %s", engine.status()).isZero();
    }
}
