package dev.athanor.bench;

import dev.athanor.Dialect;
import dev.athanor.Url;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * pgbench's four tables under a prefix of this run's own ({@code <prefix>_accounts}, {@code _branches},
 * {@code _tellers}, {@code _history}), with pgbench's columns and rows: per unit of scale one branch, ten tellers and
 * 100,000 accounts. Own names rather than {@code pgbench -i}: that drops and recreates {@code pgbench_*}, which on a
 * shared database may be someone else's, and two runs at once would then clobber each other. pgbench runs the same
 * scripts against these names with {@code -f}.
 */
final class WorkloadTables {
    static final List<String> TABLES = List.of("branches", "tellers", "accounts", "history");

    private final String url;
    private final String prefix;

    WorkloadTables(String url, String prefix) {
        this.url = url;
        this.prefix = prefix;
    }

    /** A prefix no other run uses: {@code athanor_cmp_<random>}. */
    static String uniquePrefix() {
        return "athanor_cmp_" + Long.toString(System.nanoTime() & 0xffffffL, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    }

    /**
     * A fresh in-memory H2 database named after {@code prefix}, waiting up to 10 s for a row lock (TPC-B's branch
     * row is wanted by every unit at scale 1; H2's default of 1 s would fail units that PostgreSQL queues).
     */
    static String h2Url(String prefix) {
        return "h2:mem:" + prefix + ";LOCK_TIMEOUT=10000";
    }

    String prefix() {
        return prefix;
    }

    String table(String name) {
        return prefix + "_" + name;
    }

    /** Creates and fills the tables at {@code scale}. */
    void create(int scale) {
        Dialect dialect = Url.parse(url).dialect();
        String filler = dialect == Dialect.POSTGRESQL ? "CHAR" : "VARCHAR";
        try (Connection c = new PhysicalDataSource(url).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table("branches") + " (bid INT NOT NULL PRIMARY KEY, bbalance INT,"
                    + " filler " + filler + "(88))");
            s.execute("CREATE TABLE " + table("tellers") + " (tid INT NOT NULL PRIMARY KEY, bid INT, tbalance INT,"
                    + " filler " + filler + "(84))");
            s.execute("CREATE TABLE " + table("accounts") + " (aid INT NOT NULL PRIMARY KEY, bid INT, abalance INT,"
                    + " filler " + filler + "(84))");
            s.execute("CREATE TABLE " + table("history") + " (tid INT, bid INT, aid INT, delta INT, mtime TIMESTAMP,"
                    + " filler " + filler + "(22))");
            c.commit();
            fill(s, dialect, "branches (bid, bbalance)", "n, 0", scale);
            fill(s, dialect, "tellers (tid, bid, tbalance)", "n, (n - 1) DIV 10 + 1, 0", 10 * scale);
            fill(s, dialect, "accounts (aid, bid, abalance, filler)", "n, (n - 1) DIV 100000 + 1, 0, ''", 100_000 * scale);
            c.commit();
            if (dialect == Dialect.POSTGRESQL) {
                c.setAutoCommit(true);
                for (String t : TABLES) {
                    s.execute("VACUUM ANALYZE " + table(t));
                }
            }
        } catch (SQLException e) {
            drop();
            throw new IllegalStateException("cannot create the workload tables " + prefix + "_* on "
                    + Url.mask(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * One set-based INSERT of {@code rows} rows numbered {@code n} = 1..rows; the columns are {@code values}, where
     * {@code DIV} is integer division ({@code /} on integers elsewhere).
     */
    private void fill(Statement s, Dialect dialect, String into, String values, int rows) throws SQLException {
        boolean mysql = dialect == Dialect.MYSQL || dialect == Dialect.MARIADB;
        String columns = mysql ? values : values.replace(" DIV ", " / ");
        String numbers = switch (dialect) {
            case POSTGRESQL -> "generate_series(1, " + rows + ") AS g(n)";
            case MYSQL, MARIADB -> "(SELECT seq AS n FROM seq_1_to_" + rows + ") AS g";
            default -> "(SELECT X AS n FROM SYSTEM_RANGE(1, " + rows + ")) AS g";
        };
        s.execute("INSERT INTO " + prefix + "_" + into + " SELECT " + columns + " FROM " + numbers);
    }

    /** Drops whichever of the tables exist; never fails (a cleanup), returns the problems. */
    String drop() {
        StringBuilder problems = new StringBuilder();
        try (Connection c = new PhysicalDataSource(url).getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String t : TABLES) {
                try {
                    s.execute("DROP TABLE IF EXISTS " + table(t));
                } catch (SQLException e) {
                    problems.append(table(t)).append(": ").append(e.getMessage()).append("; ");
                }
            }
        } catch (SQLException | RuntimeException e) {
            problems.append(e.getMessage());
        }
        return problems.toString();
    }

    /** The tables of this run still on the database (for tests and the final check). */
    List<String> remaining() throws SQLException {
        try (Connection c = new PhysicalDataSource(url).getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE LOWER(table_name)"
                     + " LIKE '" + prefix.toLowerCase(Locale.ROOT) + "\\_%'")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
