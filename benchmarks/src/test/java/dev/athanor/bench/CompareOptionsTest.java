package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {

    @Test
    void defaultsCompareEveryBackendQuicklyOnH2() {
        CompareOptions o = CompareOptions.parse();
        assertThat(o.url()).isNull();
        assertThat(o.threads()).isEqualTo(CompareOptions.DEFAULT_THREADS);
        assertThat(o.duration()).isEqualTo(CompareOptions.DEFAULT_DURATION);
        assertThat(o.full()).isFalse();
        assertThat(o.backends()).containsExactly("hikari", "dbcp", "c3p0");
        assertThat(o.outputDir()).isEqualTo(Path.of("benchmarks", "results"));
        assertThat(o.commandLine()).isEqualTo("./compare");
    }

    @Test
    void everyOptionIsReadInBothSpellings() {
        CompareOptions o = CompareOptions.parse("--url", "postgresql://u:secret@127.0.0.1/db", "--threads=8",
                "--duration", "3", "--full", "--backends", "c3p0, hikari", "--output=/tmp/r");
        assertThat(o.url()).isEqualTo("postgresql://u:secret@127.0.0.1/db");
        assertThat(o.threads()).isEqualTo(8);
        assertThat(o.duration()).isEqualTo(3);
        assertThat(o.full()).isTrue();
        assertThat(o.backends()).containsExactly("c3p0", "hikari");
        assertThat(o.outputDir()).isEqualTo(Path.of("/tmp/r"));
    }

    @Test
    void fullModeMeasuresLongerByDefault() {
        assertThat(CompareOptions.parse("--full").duration()).isEqualTo(CompareOptions.DEFAULT_FULL_DURATION);
    }

    @Test
    void commandLineMasksThePassword() {
        CompareOptions o = CompareOptions.parse("--url", "postgresql://u:secret@127.0.0.1/db", "--threads", "8");
        assertThat(o.commandLine()).doesNotContain("secret").contains("--url postgresql://u:***@127.0.0.1/db")
                .contains("--threads 8");
    }

    @Test
    void unknownBackendFailsWithTheValidNames() {
        assertThatThrownBy(() -> CompareOptions.parse("--backends", "hikari,bonecp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backend 'bonecp'")
                .hasMessageContaining("valid backends: hikari, dbcp, c3p0");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> CompareOptions.parse("--threads", "0", "--duration", "x", "--fast", "--url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--threads must be a whole number from 1 to 1024, was '0'")
                .hasMessageContaining("--duration must be a whole number from 1 to 3600, was 'x'")
                .hasMessageContaining("unknown option '--fast'")
                .hasMessageContaining("--url needs a value");
    }

    @Test
    void emptyBackendListIsRefused() {
        assertThatThrownBy(() -> CompareOptions.parse("--backends", " , "))
                .hasMessageContaining("--backends must name at least one of hikari, dbcp, c3p0");
    }

    @Test
    void cliExitsWithUsageErrorOnAnUnknownBackend() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {"--backends", "nope"}, print(out), print(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("compare: unknown backend 'nope'; valid backends: hikari, dbcp, c3p0")
                .contains("--help");
        assertThat(out.size()).isZero();
    }

    @Test
    void cliPrintsUsageForHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: ./compare").contains("--url URL")
                .contains("--threads N").contains("--duration S").contains("--full").contains("--backends LIST");
    }

    @Test
    void quickPlanInterleavesBackendsAndAddsBaselines() {
        List<Setup> plan = ComparePlan.of(CompareOptions.parse());
        assertThat(plan).hasSize(3 * 3 + 3 + 3 + 1);
        assertThat(plan).filteredOn(Setup::prePing).extracting(Setup::poolSize, Setup::maxOverflow)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(4, 0));
        assertThat(plan.subList(0, 3)).extracting(Setup::backend).containsExactly("hikari", "dbcp", "c3p0");
        assertThat(plan).filteredOn(s -> s.kind() == Setup.Kind.RAW)
                .extracting(Setup::backend, Setup::poolSize, Setup::maxOverflow, Setup::prePing)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("hikari", 4, 0, false),
                        org.assertj.core.groups.Tuple.tuple("dbcp", 4, 0, false),
                        org.assertj.core.groups.Tuple.tuple("c3p0", 4, 0, false));
        assertThat(plan.get(plan.size() - 1).kind()).isEqualTo(Setup.Kind.DEDICATED);
        assertThat(plan).filteredOn(s -> s.kind() == Setup.Kind.ATHANOR)
                .allSatisfy(s -> assertThat(s.maxConnections()).isLessThan(CompareOptions.DEFAULT_THREADS));
    }

    @Test
    void fullPlanCoversMoreSizesForTheChosenBackends() {
        List<Setup> plan = ComparePlan.of(CompareOptions.parse("--full", "--backends", "dbcp"));
        assertThat(plan).filteredOn(s -> s.kind() == Setup.Kind.ATHANOR).hasSize(ComparePlan.FULL_SIZINGS.length * 2)
                .extracting(Setup::backend).containsOnly("dbcp");
        assertThat(plan).filteredOn(s -> s.kind() == Setup.Kind.RAW).hasSize(5);
    }

    @Test
    void isolationIsAWorkloadOptionNamingTheValidLevels() {
        CompareOptions o = CompareOptions.parse("--workload", "select", "--isolation", "autocommit");
        assertThat(o.isolation()).isEqualTo(dev.athanor.IsolationLevel.AUTOCOMMIT);
        assertThat(o.commandLine()).contains("--isolation AUTOCOMMIT");
        assertThat(CompareOptions.parse("--workload", "select").isolation()).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompareOptions.parse("--workload", "select",
                "--isolation", "auto")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                "--isolation must be one of READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE,"
                        + " AUTOCOMMIT, was 'auto'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompareOptions.parse("--isolation", "AUTOCOMMIT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--isolation applies to --workload runs only");
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
