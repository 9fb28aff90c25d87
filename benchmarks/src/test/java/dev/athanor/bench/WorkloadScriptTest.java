package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing pgbench-style scripts, their errors, and the pieces a workload run is measured with. */
class WorkloadScriptTest {

    @Test
    void builtInTpcbIsPgbenchsScriptAsOneTransaction() {
        WorkloadScript tpcb = WorkloadScript.load("tpcb");
        assertThat(tpcb.steps()).hasSize(4 + 5 + 1);
        assertThat(tpcb.steps().get(9)).isInstanceOf(WorkloadScript.Commit.class);
        WorkloadScript.Statement update = (WorkloadScript.Statement) tpcb.steps().get(4);
        assertThat(update.sql()).isEqualTo("UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid");
        assertThat(update.names()).containsExactly("delta", "aid");
        assertThat(tpcb.usesPgbenchTables()).isTrue();
    }

    @Test
    void tablePrefixRenamesPgbenchsTablesOnly() {
        WorkloadScript s = WorkloadScript.parse("t.sql", "\\set aid random(1, 10)\n"
                + "SELECT abalance FROM PGBENCH_ACCOUNTS a JOIN my_pgbench_accounts_x b ON a.aid = b.aid WHERE"
                + " a.aid = :aid;\n").withTablePrefix("run1");
        assertThat(s.text()).contains("FROM run1_ACCOUNTS a JOIN my_pgbench_accounts_x b");
    }

    @Test
    void expressionsFollowPgbenchsPrecedenceAndRandomStaysInBounds() {
        List<String> vars = new java.util.ArrayList<>(List.of("scale", "client_id"));
        ScriptExpr e = ScriptExpr.parse("100000 * :scale - (2 + 3) * 2 % 4 + -abs(-7)", vars, "x: ");
        assertThat(e.eval(new long[] {3, 0}, new SplittableRandom(1))).isEqualTo(300_000 - 2 - 7);
        assertThat(ScriptExpr.parse("greatest(1, :scale, least(9, 4))", vars, "").eval(new long[] {2, 0}, null))
                .isEqualTo(4);
        ScriptExpr r = ScriptExpr.parse("random(-2, 2)", vars, "");
        SplittableRandom g = new SplittableRandom(7);
        java.util.Set<Long> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(r.eval(new long[2], g));
        }
        assertThat(seen).containsExactly(-2L, -1L, 0L, 1L, 2L);
    }

    @Test
    void anUnsupportedFunctionNamesTheSupportedOnes() {
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "\\set aid random_zipfian(1, 10, 1.1)\nSELECT 1;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("w.sql:1: unsupported function 'random_zipfian'; supported: random, abs,"
                        + " least, greatest");
    }

    @Test
    void otherMistakesNameTheLineAndWhatWasExpected() {
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "\\sleep 1 ms\nSELECT 1;"))
                .hasMessage("w.sql:1: unsupported meta-command '\\sleep'; supported: \\set");
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "\\set a 1\n\nSELECT :b;"))
                .hasMessageStartingWith("w.sql:3: :b is not set by a \\set before this statement (set so far:"
                        + " scale, client_id, a)");
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "\\set a random(1, 2\nSELECT 1;"))
                .hasMessageStartingWith("w.sql:1: expected ')'");
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "SELECT 1\n\\set a 1\nSELECT 2;"))
                .hasMessageContaining("w.sql:2: a meta-command inside an unfinished SQL statement");
        assertThatThrownBy(() -> WorkloadScript.parse("w.sql", "-- nothing\n\\set a 1\n"))
                .hasMessage("w.sql: the script has no SQL statement");
    }

    @Test
    void castsQuotesAndRepeatedVariablesAreNotMistakenForParameters() {
        WorkloadScript s = WorkloadScript.parse("w.sql", "\\set id 5\nSELECT ':id', :id::bigint, :id + 1;");
        WorkloadScript.Statement st = (WorkloadScript.Statement) s.steps().get(1);
        assertThat(st.names()).containsExactly("id");
    }

    @Test
    void cliNamesTheValidWorkloadsAndTheMissingFile(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {"--workload", "tpcc"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--workload must be select, tpcb or the path of a pgbench-style script; 'tpcc' is neither"
                        + " (no such file: " + Path.of("tpcc").toAbsolutePath() + ")");
        Path bad = Files.writeString(dir.resolve("bad.sql"), "\\set x hash(1)\nSELECT 1;\n");
        err.reset();
        status = Compare.run(new String[] {"--workload", bad.toString(), "--output", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("compare: " + bad + ":1: unsupported function"
                + " 'hash'; supported: random, abs, least, greatest");
    }

    @Test
    void workloadOptionsAreCheckedAgainstTheMode() {
        CompareOptions o = CompareOptions.parse("--workload", "select", "--clients", "16,1,4,4", "--scale", "2",
                "--url", "postgresql://u:secret@127.0.0.1/db");
        assertThat(o.clients()).containsExactly(1, 4, 16);
        assertThat(o.duration()).isEqualTo(CompareOptions.DEFAULT_WORKLOAD_DURATION);
        assertThat(o.commandLine()).isEqualTo("./compare --url postgresql://u:***@127.0.0.1/db --workload select"
                + " --clients 1,4,16 --scale 2");
        assertThatThrownBy(() -> CompareOptions.parse("--clients", "4", "--forks", "1"))
                .hasMessageContaining("--clients applies to --workload runs only")
                .hasMessageContaining("--forks must be a whole number from 2 to 20, was '1'");
        assertThatThrownBy(() -> CompareOptions.parse("--workload", "tpcb", "--threads", "8", "--full"))
                .hasMessageContaining("with --workload give --clients")
                .hasMessageContaining("--full applies to the pool matrix");
        assertThatThrownBy(() -> CompareOptions.parse("--workload", "tpcb", "--clients", "0,x"))
                .hasMessageContaining("--clients must be a whole number from 1 to 4096, was '0'")
                .hasMessageContaining("was 'x'");
    }

    @Test
    void virtualThreadsBeforeJdk21FailWithTheRunningVersion() {
        Assumptions.assumeTrue(Runtime.version().feature() < 21, "virtual threads exist on this JDK");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {"--workload", "select", "--virtual"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("compare: --virtual needs JDK 21 or later"
                + " (virtual threads); this JVM is " + Runtime.version());
    }

    @Test
    void resultLinesAndHistogramsSurviveTheTripFromAFork() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.recordNanos(i * 1_000_000L);
        }
        h.recordNanos(30_000_000_000L);
        RunSample back = RunSample.decode(new RunSample(new double[] {100, 120.5}, 2, "PSQLException: deadlock\n x",
                h).encode());
        assertThat(back.perSecond()).containsExactly(100, 120.5);
        assertThat(back.errors()).isEqualTo(2);
        assertThat(back.firstError()).isEqualTo("PSQLException: deadlock x");
        assertThat(back.latency().count()).isEqualTo(101);
        assertThat(back.latency().percentileUs(50)).isBetween(49_000.0, 52_000.0);
        assertThat(back.latency().percentileUs(100)).isBetween(29e6, 31e6);
    }

    @Test
    void pgbenchLogsGiveTransactionsPerSecondAfterTheWarmUp(@TempDir Path dir) throws IOException {
        // client_id transaction_no time(µs) script_no time_epoch time_us: started at 100.0 s, one warm-up second
        Files.writeString(dir.resolve("tx.123"), String.join("\n",
                "0 0 500000 0 100 500000", "0 1 400000 0 101 100000", "1 0 2000 0 101 200000",
                "1 1 2000 0 102 300000", "1 2 failed 0 102 400000", "0 2 1000 0 103 100000") + "\n");
        RunSample s = Pgbench.fromLogs(dir, 1, 2);
        assertThat(s.perSecond()).containsExactly(2, 1);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.latency().count()).isEqualTo(3);
    }
}
