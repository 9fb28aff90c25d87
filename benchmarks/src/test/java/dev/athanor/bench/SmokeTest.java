package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's guard against rot: one tiny benchmark through JMH's Runner API, in this JVM, 100 ms — the generated
 * BenchmarkList, the stub driver, an Athanor engine over HikariCP and the JSON output all have to work.
 */
class SmokeTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tinyPoolOverheadRunProducesAScoreAndJson(@TempDir Path dir) throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        Path json = dir.resolve("smoke.json");
        Options options = new OptionsBuilder()
                .include("\\.PoolOverhead\\.connectionCycle$")
                .param("backend", "hikari")
                .param("impl", "athanor")
                .param("poolSize", "2")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        RunResult result = new Runner(options).runSingle();
        assertThat(result.getPrimaryResult().getScore()).isPositive();
        assertThat(result.getParams().getParam("impl")).isEqualTo("athanor");
        assertThat(Files.readString(json, StandardCharsets.UTF_8))
                .contains("\"benchmark\" : \"dev.athanor.bench.PoolOverhead.connectionCycle\"")
                .contains("\"backend\" : \"hikari\"");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJarEntryPointWritesJsonByDefaultAndPrintsTheOverheadTable(@TempDir Path dir) throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        Path json = dir.resolve("main.json");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] {"PoolOverhead\\.connectionCycle$", "-p", "backend=dbcp", "-p", "impl=raw,athanor",
                "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms", "-rff", json.toString()});
        } finally {
            System.setOut(original);
        }
        assertThat(Files.readString(json, StandardCharsets.UTF_8)).startsWith("[").contains("\"impl\" : \"athanor\"");
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("What Athanor adds per cycle")
                .containsPattern("connectionCycle +1 dbcp +[0-9.]+ +[0-9.]+ +[-+][0-9.]+ +[0-9.]+×");
    }

    @Test
    void scoresInAnyUnitBecomeNanosecondsPerOperation() {
        assertThat(SuiteTables.nsPerOp(250, "ns/op", 1)).isEqualTo(250);
        assertThat(SuiteTables.nsPerOp(0.25, "us/op", 8)).isEqualTo(250);
        assertThat(SuiteTables.nsPerOp(4, "ops/us", 1)).isEqualTo(250);
        assertThat(SuiteTables.nsPerOp(4_000_000, "ops/s", 1)).isEqualTo(250);
        assertThat(SuiteTables.nsPerOp(8, "ops/us", 2)).isEqualTo(250);
        assertThat(SuiteTables.nsPerOp(1, "furlongs", 1)).isNaN();
    }
}
