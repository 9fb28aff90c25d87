package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's guard for {@code ./compare --workload}: each workload runs for a second through Athanor sessions on H2, and
 * select and tpcb on PostgreSQL next to pgbench (required in CI, where pgbench is installed); the command line's own
 * run creates and drops its tables. Numbers are not judged, only that work was done and done right.
 */
class WorkloadSmokeTest {
    private static final String SMALL_SCRIPT = String.join("\n",
            "-- a custom script: two statements, the second reads what the first wrote",
            "\\set aid random(1, 1000 * :scale)",
            "\\set delta (random(1, 10) - 5) * 2",
            "UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;",
            "SELECT abalance FROM pgbench_accounts",
            "  WHERE aid = :aid;", "");

    private static WorkloadLoop.Config oneSecond(int clients) {
        return new WorkloadLoop.Config("hikari", 2, clients, false, 0, 1, 1, null);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyWorkloadRunsThroughSessionsOnH2(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("small.sql"), SMALL_SCRIPT);
        String prefix = WorkloadTables.uniquePrefix();
        String url = WorkloadTables.h2Url(prefix);
        WorkloadTables tables = new WorkloadTables(url, prefix);
        tables.create(1);
        // tpcb before the script, which moves account balances alone and so would break TPC-B's invariant
        for (String workload : new String[] {"select", "tpcb", file.toString()}) {
            RunSample s = WorkloadLoop.run(url, WorkloadScript.load(workload).withTablePrefix(prefix), oneSecond(4));
            assertThat(s.mean()).as(workload).isPositive();
            assertThat(s.errors()).as(workload + ": " + s.firstError()).isZero();
            assertThat(s.latency().percentileUs(99)).isPositive();
            if (workload.equals("tpcb")) {
                assertBalancesAgree(url, prefix);
            }
        }
        tables.drop();
        assertThat(tables.remaining()).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void selectRunsOnPostgresqlThroughSessionsAndPgbench(@TempDir Path dir) throws Exception {
        TestDatabase.POSTGRESQL.assumeAvailable();
        String url = TestDatabase.POSTGRESQL.url();
        String prefix = WorkloadTables.uniquePrefix();
        WorkloadTables tables = new WorkloadTables(url, prefix);
        try {
            tables.create(1);
            WorkloadScript select = WorkloadScript.load("select").withTablePrefix(prefix);
            RunSample athanor = WorkloadLoop.run(url, select, oneSecond(2));
            assertThat(athanor.mean()).isPositive();
            assertThat(athanor.errors()).as(athanor.firstError()).isZero();
            Optional<Pgbench> pgbench = pgbench(url);
            if (pgbench.isPresent()) {
                Path script = Files.writeString(dir.resolve("select.sql"), select.text());
                RunSample reference = pgbench.get().run(script, 2, 1, 0, 1, dir);
                assertThat(reference.mean()).isPositive();
                assertThat(reference.errors()).isZero();
            }
        } finally {
            tables.drop();
        }
        assertThat(tables.remaining()).isEmpty();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tpcbFromTheCommandLineComparesWithPgbenchAndDropsItsTables(@TempDir Path dir) throws Exception {
        TestDatabase.POSTGRESQL.assumeAvailable();
        String url = TestDatabase.POSTGRESQL.url();
        boolean pgbench = pgbench(url).isPresent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {"--url", url, "--workload", "tpcb", "--clients", "2",
            "--backends", "hikari", "--duration", "1", "--warmup", "1", "--output", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(console + err.toString(StandardCharsets.UTF_8)).isZero();
        // Ranked 1 alone, or tied with pgbench, or behind it (pgbench ranks with the backends): 1, 1= or 2.
        assertThat(console).containsPattern("\\n +2 +[12]=? +hikari +[0-9,]+ ");
        if (pgbench) {
            assertThat(console).containsPattern("\\n +2 +[0-9]=? +pgbench +[0-9,]+ .* 1\\.00× ")
                    .containsPattern("Athanor\\s+over\\s+hikari\\s+reached\\s+[0-9.]+×\\s+pgbench\\s+at\\s+2\\s+clients");
        }
        Matcher created = Pattern.compile("Created (athanor_cmp_[a-z0-9]+)_").matcher(console);
        assertThat(created.find()).as(console).isTrue();
        assertThat(console).contains("Dropped " + created.group(1) + "_*.");
        assertThat(new WorkloadTables(url, created.group(1)).remaining()).isEmpty();
        try (var results = Files.list(dir)) {
            Path run = results.findFirst().orElseThrow();
            assertThat(Files.readString(run.resolve("index.html"))).contains("Throughput vs clients");
            assertThat(Files.readAllLines(run.resolve("results.csv"))).hasSizeGreaterThanOrEqualTo(1 + 2);
        }
    }

    /** pgbench for PostgreSQL, which CI must have; elsewhere its absence only skips the reference side. */
    private static Optional<Pgbench> pgbench(String url) {
        Optional<Pgbench> p = Pgbench.find(url);
        if (p.isEmpty() && TestDatabase.required()) {
            throw new AssertionError("pgbench is not on the PATH, and databases are required in this run");
        }
        return p;
    }

    /** TPC-B's invariant: each unit moved the same delta on an account, a teller and the branch, and logged it. */
    private static void assertBalancesAgree(String url, String prefix) throws SQLException {
        try (Connection c = new PhysicalDataSource(url).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT SUM(abalance) FROM " + prefix + "_accounts),"
                     + " (SELECT SUM(tbalance) FROM " + prefix + "_tellers),"
                     + " (SELECT SUM(bbalance) FROM " + prefix + "_branches),"
                     + " (SELECT SUM(delta) FROM " + prefix + "_history),"
                     + " (SELECT COUNT(*) FROM " + prefix + "_history)")) {
            rs.next();
            assertThat(rs.getLong(5)).isPositive();
            assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2)).isEqualTo(rs.getLong(3)).isEqualTo(rs.getLong(4));
        }
    }
}
