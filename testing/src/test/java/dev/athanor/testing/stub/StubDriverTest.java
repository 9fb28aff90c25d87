package dev.athanor.testing.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StubDriverTest {
    private final StubDatabase db = StubDatabase.fresh();

    @AfterEach
    void noConnectionLeftOpen() {
        assertThat(db.openNow()).as("connections the test left open").isZero();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.url());
    }

    private static Object selectOne(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Object value = rs.getObject(1);
                assertThat(rs.next()).isFalse();
                return value;
            }
        }
    }

    @Nested
    class Connecting {
        @Test
        void driverManagerFindsTheDriverByUrl() throws SQLException {
            assertThat(DriverManager.getDriver(db.url())).isInstanceOf(StubDriver.class);
            try (Connection connection = connect()) {
                assertThat(connection).isInstanceOf(StubConnection.class);
                assertThat(((StubConnection) connection).database()).isSameAs(db);
            }
        }

        @Test
        void otherUrlsAreLeftToOtherDrivers() throws SQLException {
            StubDriver driver = new StubDriver();
            assertThat(driver.acceptsURL("jdbc:h2:mem:x")).isFalse();
            assertThat(driver.connect("jdbc:h2:mem:x", new Properties())).isNull();
            assertThatThrownBy(() -> driver.connect(null, new Properties())).isInstanceOf(SQLException.class);
        }

        @Test
        void urlParametersWinOverConnectProperties() throws SQLException {
            Properties info = new Properties();
            info.setProperty("user", "scott");
            info.setProperty("password", "tiger");
            try (Connection connection = DriverManager.getConnection(db.url() + ";password=lion;ssl=true", info)) {
                assertThat(connection.unwrap(StubConnection.class).properties())
                        .containsEntry("user", "scott")
                        .containsEntry("password", "lion")
                        .containsEntry("ssl", "true");
            }
        }

        @Test
        void theSameNameReachesTheSameDatabase() {
            assertThat(StubDatabase.named(db.name())).isSameAs(db);
            assertThat(StubDatabase.fresh()).isNotSameAs(db);
            assertThat(db.url()).isEqualTo("jdbc:stub:" + db.name());
        }

        @Test
        void countsOpenAndClosedConnectionsAndTheHighWaterMark() throws SQLException {
            Connection first = connect();
            Connection second = connect();
            Connection third = connect();
            assertThat(db.openNow()).isEqualTo(3);
            first.close();
            second.close();
            first.close(); // closing twice counts once
            Connection fourth = connect();

            assertThat(db.opened()).isEqualTo(4);
            assertThat(db.closed()).isEqualTo(2);
            assertThat(db.openNow()).isEqualTo(2);
            assertThat(db.maxOpenSeen()).isEqualTo(3);
            assertThat(db.connectAttempts()).isEqualTo(4);
            assertThat(db.openConnections()).containsExactly((StubConnection) third, (StubConnection) fourth);
            third.close();
            fourth.close();
        }

        @Test
        void connectionsAreNumberedAndStartLikeARealDriver() throws SQLException {
            try (Connection first = connect(); Connection second = connect()) {
                StubConnection stub = first.unwrap(StubConnection.class);
                assertThat(stub.id()).isEqualTo(1);
                assertThat(second.unwrap(StubConnection.class).id()).isEqualTo(2);
                assertThat(stub.createdAtNanos()).isLessThanOrEqualTo(System.nanoTime());
                assertThat(first.getAutoCommit()).isTrue();
                assertThat(first.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(first.isReadOnly()).isFalse();
            }
        }

        @Test
        void resetZeroesCountersButKeepsCountingOpenConnections() throws SQLException {
            Connection open = connect();
            connect().close();
            db.recordSql(true).failNextConnects(5).down(true);
            db.reset();

            assertThat(db.opened()).isZero();
            assertThat(db.closed()).isZero();
            assertThat(db.openNow()).isEqualTo(1);
            assertThat(db.maxOpenSeen()).isEqualTo(1);
            connect().close(); // failure injections are gone
            open.close();
            assertThat(db.openNow()).isZero();
            assertThat(db.executedSql()).isEmpty();
        }
    }

    @Nested
    class FailingConnects {
        @Test
        void failNextConnectsRefusesExactlyThatMany() throws SQLException {
            db.failNextConnects(2);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(StubDriverTest.this::connect)
                        .isInstanceOf(SQLException.class)
                        .hasMessage("stub: connection refused")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
            }
            connect().close();
            assertThat(db.connectAttempts()).isEqualTo(3);
            assertThat(db.opened()).isEqualTo(1);
        }

        @Test
        void aDownDatabaseRefusesEveryConnectUntilItIsUp() throws SQLException {
            try (Connection before = connect()) {
                db.down(true);
                for (int i = 0; i < 3; i++) {
                    assertThatThrownBy(StubDriverTest.this::connect)
                            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
                }
                assertThat(before.isValid(1)).isTrue();
                db.down(false);
                connect().close();
            }
            assertThat(db.opened()).isEqualTo(2);
        }

        @Test
        @Timeout(10)
        void aHangingConnectWaitsForRelease() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                StubDatabase.Hang hang = db.hangConnects();
                Future<Connection> connecting = executor.submit(StubDriverTest.this::connect);

                assertThat(db.awaitHangingConnect(Duration.ofSeconds(5))).isTrue();
                assertThat(hang.blockedNow()).isEqualTo(1);
                assertThat(connecting).isNotDone();
                assertThat(db.opened()).isZero();

                db.releaseHangingConnects();
                try (Connection connection = connecting.get(5, TimeUnit.SECONDS)) {
                    assertThat(connection.isValid(1)).isTrue();
                }
                assertThat(db.opened()).isEqualTo(1);
                connect().close(); // no longer hanging
            } finally {
                db.releaseHangingConnects();
                executor.shutdownNow();
            }
        }

        @Test
        @Timeout(10)
        void aHangingConnectGivesUpWhenInterrupted() throws Exception {
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try (StubDatabase.Hang hang = db.hangConnects()) {
                Future<Connection> connecting = executor.submit(StubDriverTest.this::connect);
                assertThat(hang.awaitBlocked(1, Duration.ofSeconds(5))).isTrue();

                connecting.cancel(true);
                executor.shutdown();
                assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
                assertThat(hang.blockedNow()).isZero();
                assertThat(db.opened()).isZero();
            } finally {
                executor.shutdownNow();
            }
        }

        @Test
        void awaitingAHangWithoutOneIsAnError() {
            assertThatThrownBy(() -> db.awaitHangingConnect(Duration.ofMillis(1)))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void connectDelaySlowsEveryConnect() throws SQLException {
            db.connectDelay(Duration.ofMillis(50));
            long start = System.nanoTime();
            connect().close();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        }
    }

    @Nested
    class KilledAndClosedConnections {
        @Test
        void killAllBreaksOpenConnectionsWithoutClosingThem() throws SQLException {
            Connection killed = connect();
            PreparedStatement prepared = killed.prepareStatement("SELECT 1");
            db.killAll();

            assertThat(killed.isValid(1)).isFalse();
            assertThat(killed.isClosed()).isFalse();
            assertThat(killed.unwrap(StubConnection.class).isKilled()).isTrue();
            assertThatThrownBy(prepared::executeQuery)
                    .hasMessage("stub: connection killed")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            assertThatThrownBy(() -> killed.prepareStatement("SELECT 1"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            assertThatThrownBy(killed::getAutoCommit)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            assertThat(db.validations()).isEqualTo(1);

            killed.close();
            assertThat(killed.isClosed()).isTrue();
            assertThat(db.closed()).isEqualTo(1);
            try (Connection fresh = connect()) {
                assertThat(fresh.isValid(1)).isTrue();
            }
        }

        @Test
        void aClosedConnectionRefusesUseWith08003() throws SQLException {
            Connection connection = connect();
            Statement statement = connection.createStatement();
            connection.close();

            assertThat(connection.isValid(0)).isFalse();
            assertThat(statement.isClosed()).isTrue();
            assertThatThrownBy(connection::createStatement)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
            assertThatThrownBy(() -> statement.execute("SELECT 1"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
        }

        @Test
        void unsupportedFeaturesSaySo() throws SQLException {
            try (Connection connection = connect()) {
                assertThatThrownBy(() -> connection.prepareCall("{call f()}"))
                        .isInstanceOf(SQLFeatureNotSupportedException.class);
                assertThatThrownBy(() -> connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE,
                        ResultSet.CONCUR_READ_ONLY)).isInstanceOf(SQLFeatureNotSupportedException.class);
                try (ResultSet rs = connection.createStatement().executeQuery("SELECT 1")) {
                    assertThatThrownBy(rs::previous).isInstanceOf(SQLFeatureNotSupportedException.class);
                }
            }
        }

        @Test
        void unwrapReachesTheStubClassesOnly() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                assertThat(connection.isWrapperFor(StubConnection.class)).isTrue();
                assertThat(statement.unwrap(StubPreparedStatement.class)).isSameAs(statement);
                assertThat(connection.isWrapperFor(String.class)).isFalse();
                assertThatThrownBy(() -> connection.unwrap(String.class)).isInstanceOf(SQLException.class);
            }
        }
    }

    @Nested
    class Statements {
        @Test
        void selectEchoesItsFirstParameterOrOne() throws SQLException {
            try (Connection connection = connect()) {
                assertThat(selectOne(connection, "SELECT ?", "hello")).isEqualTo("hello");
                assertThat(selectOne(connection, "  select ?, ?", 42L, "ignored")).isEqualTo(42L);
                assertThat(selectOne(connection, "SELECT 1")).isEqualTo(1);
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("\n select 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("value")).isEqualTo(1);
                    assertThat(rs.getString("VALUE")).isEqualTo("1");
                    assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("VALUE");
                    assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(Types.INTEGER);
                }
            }
            assertThat(db.statementsExecuted()).isEqualTo(4);
        }

        @Test
        void updatesCountOneRowAndGenerateIncreasingKeys() throws SQLException {
            try (Connection connection = connect();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, "a");
                assertThat(insert.executeUpdate()).isEqualTo(1);
                assertThat(generatedKey(insert)).isEqualTo(1L);
                assertThat(generatedKey(insert)).as("same execution, same key").isEqualTo(1L);
                insert.setString(1, "b");
                assertThat(insert.execute()).isFalse();
                assertThat(insert.getUpdateCount()).isEqualTo(1);
                assertThat(generatedKey(insert)).isEqualTo(2L);
                assertThat(insert.unwrap(StubPreparedStatement.class).parameters()).containsExactly("b");
            }
        }

        private long generatedKey(Statement statement) throws SQLException {
            try (ResultSet keys = statement.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong("ID");
            }
        }

        @Test
        void executeReportsQueriesAndUpdatesLikeARealDriver() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                assertThat(statement.execute("SELECT 1")).isTrue();
                assertThat(statement.getUpdateCount()).isEqualTo(-1);
                ResultSet rs = statement.getResultSet();
                assertThat(statement.getMoreResults()).isFalse();
                assertThat(rs.isClosed()).isTrue();
                assertThat(statement.getUpdateCount()).isEqualTo(-1);

                assertThat(statement.execute("DELETE FROM t")).isFalse();
                assertThat(statement.getResultSet()).isNull();
                assertThat(statement.getUpdateCount()).isEqualTo(1);

                assertThatThrownBy(() -> statement.executeUpdate("SELECT 1")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> statement.executeQuery("DELETE FROM t")).isInstanceOf(SQLException.class);
            }
        }

        @Test
        void batchesReturnOnePerEntry() throws SQLException {
            try (Connection connection = connect();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                for (int i = 0; i < 3; i++) {
                    insert.setInt(1, i);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
                assertThat(insert.executeBatch()).isEmpty();
            }
            assertThat(db.statementsExecuted()).isEqualTo(3);
        }

        @Test
        void cannedResultsAnswerMatchingQueries() throws SQLException {
            db.queryResult("select name", new String[] {"ID", "NAME"},
                    List.of(new Object[] {1, "ada"}, new Object[] {2, null}));
            try (Connection connection = connect();
                    ResultSet rs = connection.createStatement().executeQuery(" SELECT name, id FROM users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("ada");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2L);
                assertThat(rs.getString(2)).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.next()).isFalse();
                assertThat(selectOne(connection, "SELECT ?", "x")).as("other queries are unaffected").isEqualTo("x");
            }
        }

        @Test
        void sqlIsRecordedOnlyWhenAsked() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT 'unrecorded'");
                db.recordSql(true);
                statement.execute("SELECT 1");
                statement.executeUpdate("UPDATE t SET x = 1");
            }
            assertThat(db.executedSql()).containsExactly("SELECT 1", "UPDATE t SET x = 1");
            assertThat(db.statementsExecuted()).isEqualTo(3);
        }

        @Test
        void failNextStatementFailsExactlyOneStatement() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                db.failNextStatement("40001");
                assertThatThrownBy(() -> statement.execute("UPDATE t SET x = 1"))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThat(statement.execute("UPDATE t SET x = 1")).isFalse();
            }
        }

        @Test
        void aFailingBatchReportsTheEntriesDone() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.addBatch("INSERT INTO t VALUES (1)");
                statement.addBatch("SELECT 1");
                assertThatThrownBy(statement::executeBatch)
                        .isInstanceOfSatisfying(BatchUpdateException.class,
                                e -> assertThat(e.getUpdateCounts()).containsExactly(1));
            }
        }
    }

    @Nested
    class Transactions {
        @Test
        void commitAndRollbackAreCounted() throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                connection.createStatement().executeUpdate("UPDATE t SET x = 1");
                connection.commit();
                connection.rollback();
                connection.rollback();
            }
            assertThat(db.commits()).isEqualTo(1);
            assertThat(db.rollbacks()).isEqualTo(2);
        }

        @Test
        void commitOrRollbackInAutoCommitModeIsAnError() throws SQLException {
            try (Connection connection = connect()) {
                assertThatThrownBy(connection::rollback)
                        .hasMessageContaining("autoCommit")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P01");
                assertThatThrownBy(connection::commit)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P01");
            }
            assertThat(db.rollbacks()).isZero();
        }

        @Test
        void turningAutoCommitBackOnCommitsAnOpenTransaction() throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                connection.setAutoCommit(true);
                assertThat(db.commits()).as("no statement, no transaction").isZero();

                connection.setAutoCommit(false);
                connection.createStatement().execute("UPDATE t SET x = 1");
                assertThat(connection.unwrap(StubConnection.class).inTransaction()).isTrue();
                connection.setAutoCommit(true);
                assertThat(db.commits()).isEqualTo(1);
            }
        }

        @Test
        void isolationAndReadOnlyCannotChangeInsideATransaction() throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                connection.createStatement().execute("SELECT 1");
                assertThatThrownBy(() -> connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");
                assertThatThrownBy(() -> connection.setReadOnly(true))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");
                connection.rollback();
                connection.setReadOnly(true);
                assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            }
        }

        @Test
        void savepointsRollBackAndRelease() throws SQLException {
            try (Connection connection = connect()) {
                assertThatThrownBy(connection::setSavepoint).isInstanceOf(SQLException.class);
                connection.setAutoCommit(false);
                Savepoint outer = connection.setSavepoint("outer");
                Savepoint inner = connection.setSavepoint();
                assertThat(outer.getSavepointName()).isEqualTo("outer");
                assertThat(inner.getSavepointId()).isPositive();

                connection.rollback(outer);
                assertThatThrownBy(() -> connection.rollback(inner))
                        .as("rolling back to outer discards inner")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("3B001");
                connection.rollback(outer); // outer survives its own rollback
                connection.releaseSavepoint(outer);
                assertThatThrownBy(() -> connection.rollback(outer)).isInstanceOf(SQLException.class);

                Savepoint beforeCommit = connection.setSavepoint();
                connection.commit();
                assertThatThrownBy(() -> connection.rollback(beforeCommit)).isInstanceOf(SQLException.class);
            }
            assertThat(db.savepointRollbacks()).isEqualTo(2);
            assertThat(db.rollbacks()).isZero();
            assertThat(db.commits()).isEqualTo(1);
        }

        @Test
        void failNextCommitFailsOneCommitAndEndsItsTransaction() throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                connection.createStatement().execute("UPDATE t SET x = 1");
                db.failNextCommit("40001");
                assertThatThrownBy(connection::commit)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
                assertThat(connection.unwrap(StubConnection.class).inTransaction()).isFalse();
                connection.commit();
            }
            assertThat(db.commits()).isEqualTo(1);
        }

        @Test
        void loseNextCommitRepliesCommitsThenLosesTheConnection() throws SQLException {
            try (Connection connection = connect()) {
                connection.setAutoCommit(false);
                connection.createStatement().execute("UPDATE t SET x = 1");
                db.loseNextCommitReplies(1);
                assertThatThrownBy(connection::commit)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
                assertThat(db.commits()).as("the commit went through").isEqualTo(1);
                assertThat(connection.unwrap(StubConnection.class).isKilled()).isTrue();
            }
        }
    }

    @Nested
    class ResultSets {
        @Test
        void gettersConvertLikeDrivers() throws SQLException {
            try (StubResultSet rs = StubResultSet.of(new String[] {"N", "S", "B"},
                    List.<Object[]>of(new Object[] {7L, "12", null}))) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("n")).isEqualTo(7);
                assertThat(rs.getObject(1, Integer.class)).isEqualTo(7);
                assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("7");
                assertThat(rs.getLong("S")).isEqualTo(12L);
                assertThat(rs.getDouble(2)).isEqualTo(12.0);
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getStatement()).isNull();
                assertThat(rs.getMetaData().getColumnClassName(1)).isEqualTo(Long.class.getName());
                assertThatThrownBy(() -> rs.getInt(4))
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07009");
                assertThatThrownBy(() -> rs.findColumn("missing")).isInstanceOf(SQLException.class);
            }
        }

        @Test
        void rowsMustHaveOneValuePerLabel() {
            assertThatThrownBy(() -> StubResultSet.of(new String[] {"A"}, List.<Object[]>of(new Object[] {1, 2})))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void closingTheStatementClosesItsResultSet() throws SQLException {
            try (Connection connection = connect()) {
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1");
                statement.close();
                assertThat(rs.isClosed()).isTrue();
                assertThatThrownBy(rs::next).isInstanceOf(SQLException.class);
            }
        }
    }
}
