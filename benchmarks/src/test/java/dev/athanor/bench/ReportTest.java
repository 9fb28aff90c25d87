package dev.athanor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recommendation, summary and HTML from canned measurements. */
class ReportTest {
    private static final RunInfo INFO = new RunInfo("2026-11-21 10:00 UTC", "OpenJDK 64-Bit Server VM 17.0.15",
            "Linux amd64", 2, "./compare", "embedded H2 (in-memory)", 16, 1, 2, 0.5);

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

    static Measurement ops(Setup s, double opsPerSec) {
        double meanUs = 16 * 1_000_000d / opsPerSec;
        return Measurement.fromSampleTime(s, 16, meanUs, meanUs * 0.8, meanUs * 3, 10_000, 0.01);
    }

    @Test
    void throughputIsThreadsOverMeanLatency() {
        Measurement m = Measurement.fromSampleTime(Setup.dedicated(), 16, 40, 30, 100, 5, 0);
        assertThat(m.opsPerSec()).isEqualTo(400_000);
        assertThat(Measurement.noise(90, 110)).isEqualTo(0.1);
        assertThat(Measurement.noise(100)).isZero();
    }

    @Test
    void recommendsTheSmallerPoolWhenItIsAsFastAndKeepsCheapPrePingOn() {
        Recommendation r = Recommendation.of(canned());
        assertThat(r.setup()).isEqualTo(Setup.athanor("hikari", 4, 0, true));
        assertThat(r.headline()).isEqualTo("backend=hikari poolSize=4 maxOverflow=0 prePing=on");
        assertThat(r.text())
                .contains("hikari gave the highest throughput for this workload: 400,000 ops/s at poolSize 4,"
                        + " maxOverflow 4 with 16 threads, 20.0% ahead of the best dbcp run.")
                .contains("poolSize 4, maxOverflow 0 came within 1.0% of it with fewer connections")
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
                .contains("| 1 | hikari | 4 | 4 | off | 400,000 | ±1% | 100% |")
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
                6.5);
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
        assertThat(r.text()).contains("Pre-ping showed no cost here (the run with it was 20.0% faster, which is"
                + " noise), so keep it on");
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
    void aLeadWithinTheRunsNoiseIsSaidToBeOne() {
        List<Measurement> ms = List.of(
                Measurement.fromSampleTime(Setup.athanor("hikari", 4, 0, false), 16, 100, 80, 300, 1000, 0.08),
                Measurement.fromSampleTime(Setup.athanor("dbcp", 4, 0, false), 16, 110, 80, 300, 1000, 0.02));
        assertThat(Recommendation.of(ms).text()).contains("9.1% ahead of the best dbcp run. That lead is within this"
                + " run's noise (±8%): run again, or longer with --duration, before choosing on it.");
        assertThat(Recommendation.of(canned()).text()).doesNotContain("within this run's noise");
    }
}
