package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recommendation, summary and HTML from canned measurements. */
class ReportTest {
    private static final RunInfo INFO = new RunInfo("2026-11-21 10:00 UTC", "OpenJDK 64-Bit Server VM 17.0.15",
            "Linux amd64", 2, "./compare", "embedded H2 (in-memory)", 16, 1, 2, 2, 0.5);

    /** hikari is fastest at 4+4, nearly as fast at 4; pre-ping costs hikari 2 %, dbcp 20 %. */
    static List<Measurement> canned() {
        List<Measurement> ms = new ArrayList<>();
        ms.add(ops(Setup.athanor("hikari", 2, 0, false), 300_000));
        ms.add(ops(Setup.athanor("hikari", 2, 0, true), 290_000));
        ms.add(ops(Setup.athanor("hikari", 4, 0, false), 396_000));
        ms.add(ops(Setup.athanor("hikari", 4, 0, true), 388_000));
        ms.add(ops(Setup.athanor("hikari", 4, 4, false), 400_000));
        ms.add(ops(Setup.athanor("hikari", 4, 4, true), 399_000));
        ms.add(ops(Setup.athanor("dbcp", 2, 0, false), 250_000));
        ms.add(ops(Setup.athanor("dbcp", 2, 0, true), 200_000));
        ms.add(ops(Setup.athanor("dbcp", 4, 0, false), 320_000));
        ms.add(ops(Setup.athanor("dbcp", 4, 0, true), 256_000));
        ms.add(ops(Setup.raw("hikari", 4, 0, false), 400_000));
        ms.add(ops(Setup.raw("dbcp", 4, 0, false), 330_000));
        ms.add(ops(Setup.dedicated(), 800_000));
        return ms;
    }

    /** A measurement of {@code opsPerSec} ± 1 %, two forks that agreed. */
    static Measurement ops(Setup s, double opsPerSec) {
        return ops(s, opsPerSec, 0.01, opsPerSec, opsPerSec);
    }

    static Measurement ops(Setup s, double opsPerSec, double relativeHalfWidth, double fork1, double fork2) {
        double meanUs = 16 * 1_000_000d / opsPerSec;
        Interval i = new Interval(opsPerSec, opsPerSec * relativeHalfWidth, 4, new double[] {fork1, fork2});
        return new Measurement(s, 16, i, meanUs, meanUs * 0.8, meanUs * 3, 10_000);
    }

    @Test
    void throughputIsThreadsOverMeanLatency() {
        assertThat(Measurement.fromLatency(16, 40)).isEqualTo(400_000);
        assertThat(Measurement.fromLatency(16, 0)).isZero();
    }

    @Test
    void recommendsTheSmallerPoolWhenItIsAsFastAndKeepsCheapPrePingOn() {
        Recommendation r = Recommendation.of(canned());
        assertThat(r.setup()).isEqualTo(Setup.athanor("hikari", 4, 0, true));
        assertThat(r.headline()).isEqualTo("backend=hikari poolSize=4 maxOverflow=0 prePing=on");
        assertThat(r.decided()).isTrue();
        assertThat(r.text())
                .contains("hikari gave the highest throughput for this workload: 400,000 ± 4,000 ops/s at poolSize 4,"
                        + " maxOverflow 4 with 16 threads, measurably ahead of the best dbcp run (by 20.0%).")
                .contains("poolSize 4, maxOverflow 0 is tied with it with fewer connections")
                .contains("Pre-ping cost 2.0% here, so keep it on")
                .contains("Athanor over hikari ran at 0.99× the raw hikari pool");
    }

    @Test
    void expensivePrePingIsRecommendedOffWithTheAlternative() {
        List<Measurement> dbcpOnly = canned().stream()
                .filter(m -> m.setup().backend() == null || m.setup().backend().equals("dbcp")).toList();
        Recommendation r = Recommendation.of(dbcpOnly);
        assertThat(r.setup()).isEqualTo(Setup.athanor("dbcp", 4, 0, false));
        assertThat(r.text()).contains("Pre-ping cost 20.0% here (one round trip per checkout), so it is off")
                .contains("poolRecycle");
    }

    @Test
    void nothingMeasuredMeansNoRecommendation() {
        Recommendation r = Recommendation.of(List.of(ops(Setup.dedicated(), 1000)));
        assertThat(r.setup()).isNull();
        assertThat(r.headline()).isEqualTo("no recommendation");
    }

    @Test
    void summaryRanksAthanorRunsAndListsBaselinesAndPrePingCost() {
        List<Measurement> ms = canned();
        CompareReport report = new CompareReport(INFO, ms, Recommendation.of(ms), List.of("c3p0 x: boom"));
        String md = report.markdown();
        assertThat(md).contains("| Command | `./compare` |")
                .contains("| OS, cores | Linux amd64, 2 cores, load average 0.5 at start |")
                .contains("**backend=hikari poolSize=4 maxOverflow=0 prePing=on**")
                .contains("| 1= | hikari | 4 | 4 | off | 400,000 | ±1% | 100% |")
                .contains("| 6 | hikari | 2 | 0 | off | 300,000 | ±1% | 75% |")
                .contains("| raw hikari (no Athanor) poolSize=4 maxOverflow=0 prePing=off | 400,000 |")
                .contains("| 0.99× (Athanor over hikari, same settings) |")
                .contains("| dedicated connection per thread (no pool) | 800,000 |")
                .contains("| 0.50× (best Athanor run) |")
                .contains("| dbcp | 4 | 320,000 | 256,000 | -20.0% |")
                .contains("- c3p0 x: boom");
        assertThat(report.ranked()).hasSize(10);
        assertThat(report.console()).contains("Recommendation: backend=hikari poolSize=4 maxOverflow=0 prePing=on")
                .contains("FAILED: c3p0 x: boom");
    }

    @Test
    void htmlIsSelfContainedWithThreeCharts() {
        List<Measurement> ms = canned();
        String html = HtmlReport.render(new CompareReport(INFO, ms, Recommendation.of(ms), List.of()));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>Recommendation: backend=hikari")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("https://");
        assertThat(html.split("<svg ", -1)).hasSize(4);
        assertThat(html).contains("Throughput vs pool size").contains("p99 latency").contains("prePing on");
        assertThat(html).contains("<title>hikari prePing off 4+4: 400k</title>");
    }

    @Test
    void chartsCopeWithNegativeAndMissingValues() {
        String svg = SvgChart.bars("t", "%", List.of("a", "b"), List.of(
                new SvgChart.Series("x", "#000", false, new double[] {-12.5, Double.NaN}),
                new SvgChart.Series("y", "#111", false, new double[] {3, 0})));
        assertThat(svg).contains("<rect").doesNotContain("NaN").doesNotContain("Infinity");
        assertThat(svg.split("<rect", -1)).hasSize(4);
    }

    @Test
    void aBusyMachineIsCalledOutInTheSummaryAndPage() {
        RunInfo busy = new RunInfo(INFO.date(), INFO.jdk(), INFO.os(), 2, INFO.command(), INFO.database(), 16, 1, 2,
                2, 6.5);
        List<Measurement> ms = canned();
        CompareReport report = new CompareReport(busy, ms, Recommendation.of(ms), List.of());
        assertThat(report.markdown())
                .contains("The machine was busy when the run started (2 cores, load average 6.5");
        assertThat(HtmlReport.render(report)).contains("The machine was busy");
        assertThat(new CompareReport(INFO, ms, Recommendation.of(ms), List.of()).markdown())
                .doesNotContain("was busy");
    }

    @Test
    void prePingThatMeasuredFasterIsCalledNoise() {
        List<Measurement> ms = List.of(ops(Setup.athanor("c3p0", 2, 0, false), 100_000),
                ops(Setup.athanor("c3p0", 2, 0, true), 120_000));
        Recommendation r = Recommendation.of(ms);
        assertThat(r.setup().prePing()).isTrue();
        assertThat(r.text()).contains("Pre-ping showed no cost here (the runs with it were 20.0% faster, which"
                + " is noise), so keep it on");
    }

    @Test
    void latenciesSpanningOrdersOfMagnitudeGetALogAxisWithVisibleBars() {
        String svg = SvgChart.logBars("p99", "µs", List.of("2", "4"), List.of(
                new SvgChart.Series("hikari", "#000", false, new double[] {12_000, 9_000}),
                new SvgChart.Series("dbcp", "#111", false, new double[] {30, Double.NaN})));
        assertThat(svg).contains(">10</text>").contains(">100</text>").contains(">100k</text>")
                .doesNotContain("NaN").doesNotContain("Infinity");
        java.util.regex.Matcher heights = java.util.regex.Pattern.compile("height=\"([0-9.]+)\" fill").matcher(svg);
        List<Double> h = new ArrayList<>();
        while (heights.find()) {
            h.add(Double.parseDouble(heights.group(1)));
        }
        assertThat(h).hasSize(3).allSatisfy(v -> assertThat(v).isGreaterThan(20));
    }

    @Test
    void aLeadWithinTheIntervalsIsATieAndTheSmallerPoolIsChosen() {
        List<Measurement> ms = List.of(
                ops(Setup.athanor("hikari", 8, 0, false), 100_000, 0.08, 101_000, 99_000),
                ops(Setup.athanor("dbcp", 4, 0, false), 92_000, 0.02, 92_000, 92_000));
        Recommendation r = Recommendation.of(ms);
        assertThat(r.text()).contains("but the best dbcp run (92,000 ± 1,840 ops/s) is tied with it: their 95%"
                + " intervals overlap, so this run cannot tell the two apart")
                .contains("poolSize 4, maxOverflow 0 over dbcp is tied with it with fewer connections");
        assertThat(r.setup()).isEqualTo(Setup.athanor("dbcp", 4, 0, false));
        assertThat(Recommendation.of(canned()).text()).doesNotContain("tied with it:");
    }

    @Test
    void forksThatDisagreeMakeTheRecommendationUndecided() {
        List<Measurement> ms = List.of(
                ops(Setup.athanor("hikari", 4, 0, false), 120_000, 0.3, 181_000, 59_000),
                ops(Setup.athanor("dbcp", 4, 0, false), 90_000, 0.02, 91_000, 89_000));
        Recommendation r = Recommendation.of(ms);
        assertThat(r.decided()).isFalse();
        assertThat(r.headline()).endsWith("(undecided: too noisy)");
        assertThat(r.text()).startsWith("The machine was too busy to decide: hikari poolSize=4 maxOverflow=0"
                + " prePing=off varied by 101.7% between its forks (more than 15.0%)");
        CompareReport report = new CompareReport(INFO, ms, r, List.of());
        assertThat(report.console()).contains("±30%!");
    }

    @Test
    void intervalsUseStudentsTOverEveryIterationOfEveryFork() {
        Interval i = Interval.of(List.of(new double[] {100, 102}, new double[] {98, 100}));
        assertThat(i.mean()).isEqualTo(100);
        assertThat(i.n()).isEqualTo(4);
        // s = sqrt(8/3), t(3) = 3.182: 3.182 * 1.633 / 2
        assertThat(i.halfWidth()).isCloseTo(2.598, org.assertj.core.data.Offset.offset(0.001));
        assertThat(i.forkMeans()).containsExactly(101, 99);
        assertThat(i.forkSpread()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(i.unstable()).isFalse();
        assertThat(Interval.of(List.of(new double[] {100}, new double[] {60})).unstable()).isTrue();
        assertThat(i.overlaps(Interval.exact(102.5))).isTrue();
        assertThat(i.overlaps(Interval.exact(103))).isFalse();
        assertThat(Interval.of(List.of()).mean()).isZero();
    }

    @Test
    void rankingSharesARankAmongOverlappingIntervals() {
        Ranking<Interval> r = Ranking.of(List.of(Interval.exact(50), new Interval(100, 10, 4, new double[] {100}),
                new Interval(95, 10, 4, new double[] {95}), Interval.exact(80)), x -> x);
        assertThat(r.entries()).extracting(Interval::mean).containsExactly(100.0, 95.0, 80.0, 50.0);
        assertThat(List.of(r.label(0), r.label(1), r.label(2), r.label(3))).containsExactly("1=", "1=", "3", "4");
        assertThat(r.leaders()).hasSize(2);
    }
}
