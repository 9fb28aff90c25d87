package dev.athanor.pool.c3p0;

import dev.athanor.Connection;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/** A separate JDBC connection to the test server, for what a test must see or do from outside the pool. */
final class Admin {
    private Admin() {
    }

    static java.sql.Connection connect(TestDatabase db) throws SQLException {
        Url url = Url.parse(db.url());
        return DriverManager.getConnection(url.jdbcUrl(), url.driverProperties());
    }

    /**
     * Learns the server session of a borrowed connection and returns what kills it from outside once it has been
     * returned: {@code pg_terminate_backend}, MariaDB's {@code KILL}, or for in-process H2 closing the driver's
     * connection underneath the pool.
     */
    static Runnable killer(TestDatabase db, Connection borrowed) throws SQLException {
        switch (db) {
            case POSTGRESQL: {
                long pid = borrowed.execute("SELECT pg_backend_pid()").scalar(Long.class);
                return () -> killAndWait(db, "SELECT pg_terminate_backend(" + pid + ")",
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid);
            }
            case MARIADB: {
                long id = borrowed.execute("SELECT CONNECTION_ID()").scalar(Long.class);
                return () -> killAndWait(db, "KILL " + id,
                        "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + id);
            }
            default: {
                java.sql.Connection h2 = borrowed.jdbc().unwrap(org.h2.jdbc.JdbcConnection.class);
                return () -> {
                    try {
                        h2.close();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                };
            }
        }
    }

    private static void killAndWait(TestDatabase db, String kill, String stillThere) {
        try (java.sql.Connection admin = connect(db); var st = admin.createStatement()) {
            st.execute(kill);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery(stillThere)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("the server still shows the killed session: " + stillThere);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
