package dev.athanor.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the backend, poolSize, maxOverflow and prePing for the measured operation, and says why in a few sentences.
 * It never rests on a difference smaller than the noise: configurations whose 95 % intervals overlap with the
 * fastest one's are tied with it ({@link Ranking}); among them the one with the fewest connections is chosen (less
 * load on the database for the same work). Pre-ping stays on unless it costs measurably more than
 * {@link #PING_CHEAP}, since it catches connections a restart or a firewall killed. When the forks of a configuration
 * the choice rests on disagreed by more than {@link Interval#UNSTABLE}, the machine was too busy to decide, and the
 * recommendation says so instead of following the noise.
 *
 * @param setup     the recommended configuration (null when nothing was measured)
 * @param opsPerSec its measured throughput
 * @param decided   false when the run was too noisy to support the choice
 * @param text      the reasons, 2–5 sentences
 */
public record Recommendation(Setup setup, double opsPerSec, boolean decided, String text) {
    /** A pre-ping costing 5 % or less is worth keeping on. */
    static final double PING_CHEAP = 0.05;

    /** The one-line verdict: {@code backend=hikari poolSize=4 maxOverflow=0 prePing=on}. */
    public String headline() {
        if (setup == null) {
            return "no recommendation";
        }
        return "backend=" + setup.backend() + " poolSize=" + setup.poolSize() + " maxOverflow=" + setup.maxOverflow()
                + " prePing=" + Setup.onOff(setup.prePing()) + (decided ? "" : " (undecided: too noisy)");
    }

    public static Recommendation of(List<Measurement> measurements) {
        List<Measurement> athanor = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.setup().kind() == Setup.Kind.ATHANOR && m.opsPerSec() > 0) {
                athanor.add(m);
            }
        }
        if (athanor.isEmpty()) {
            return new Recommendation(null, 0, false, "No Athanor configuration completed, so there is nothing to"
                    + " recommend; see the errors above.");
        }
        Ranking<Measurement> ranking = Ranking.of(athanor, Measurement::throughput);
        Measurement best = ranking.entries().get(0);
        Setup top = best.setup();
        List<Measurement> leaders = ranking.leaders();

        // Of the configurations nothing is measurably faster than, the one with the fewest connections.
        Measurement sized = leaders.stream()
                .filter(m -> m.setup().prePing() == top.prePing())
                .min(Comparator.comparingInt((Measurement m) -> m.setup().maxConnections())
                        .thenComparing(Comparator.comparingDouble(Measurement::opsPerSec).reversed()))
                .orElse(best);
        Optional<Measurement[]> ping = pingPair(athanor, sized.setup());
        boolean pingOn = ping.map(p -> pingWorthIt(p[0], p[1])).orElse(top.prePing());
        Measurement chosen = find(athanor, sized.setup().backend(), sized.setup().poolSize(),
                sized.setup().maxOverflow(), pingOn).orElse(sized);

        StringBuilder text = new StringBuilder();
        List<Measurement> unstable = new ArrayList<>();
        List<Measurement> restsOn = new ArrayList<>(List.of(best, sized, chosen));
        ping.ifPresent(p -> restsOn.addAll(List.of(p)));
        for (Measurement m : restsOn) {
            if (m.throughput().unstable() && !unstable.contains(m)) {
                unstable.add(m);
            }
        }
        for (Measurement m : unstable) {
            text.append("The machine was too busy to decide: ").append(m.setup().describe()).append(" varied by ")
                    .append(percent(m.throughput().forkSpread())).append(" between its forks (more than ")
                    .append(percent(Interval.UNSTABLE)).append("), so the choice below may follow the noise; run"
                            + " again on a quieter machine, or with more --forks. ");
        }
        text.append(top.backend()).append(" gave the highest throughput for this workload: ")
                .append(opsWithInterval(best)).append(" ops/s at poolSize ").append(top.poolSize())
                .append(", maxOverflow ").append(top.maxOverflow()).append(" with ").append(best.threads())
                .append(" threads");
        Optional<Measurement> runnerUp = athanor.stream()
                .filter(m -> !m.setup().backend().equals(top.backend()))
                .max(Comparator.comparingDouble(Measurement::opsPerSec));
        runnerUp.ifPresent(r -> {
            if (leaders.contains(r)) {
                text.append(", but the best ").append(r.setup().backend()).append(" run (")
                        .append(opsWithInterval(r)).append(" ops/s) is tied with it: their 95% intervals overlap,"
                                + " so this run cannot tell the two apart");
            } else {
                text.append(", measurably ahead of the best ").append(r.setup().backend()).append(" run (by ")
                        .append(percent(1 - r.opsPerSec() / best.opsPerSec())).append(')');
            }
        });
        text.append('.');
        if (sized != best) {
            text.append(" poolSize ").append(sized.setup().poolSize()).append(", maxOverflow ")
                    .append(sized.setup().maxOverflow()).append(sized.setup().backend().equals(top.backend())
                            ? "" : " over " + sized.setup().backend())
                    .append(" is tied with it with fewer connections, so it is the better choice for a shared"
                            + " database.");
        }
        text.append(' ').append(pingSentence(ping, sized.setup()));
        rawRatio(measurements, chosen).ifPresent(r -> text.append(" Athanor over ").append(chosen.setup().backend())
                .append(" ran at ").append(String.format(Locale.ROOT, "%.2f", r)).append("× the raw ")
                .append(chosen.setup().backend()).append(" pool with the same settings."));
        return new Recommendation(chosen.setup(), chosen.opsPerSec(), unstable.isEmpty(), text.toString());
    }

    /** Pre-ping stays on when it costs no more than {@link #PING_CHEAP}, or no measurable amount at all. */
    static boolean pingWorthIt(Measurement off, Measurement on) {
        return off.throughput().overlaps(on.throughput()) || CompareReport.pingCost(off, on) <= PING_CHEAP;
    }

    private static String pingSentence(Optional<Measurement[]> pair, Setup chosen) {
        if (pair.isEmpty()) {
            return "Pre-ping was not measured both ways for " + chosen.backend() + ".";
        }
        Measurement off = pair.get()[0];
        Measurement on = pair.get()[1];
        double c = CompareReport.pingCost(off, on);
        String where = off.setup().sizing().equals(chosen.sizing()) ? "here" : "at poolSize " + off.setup().sizing();
        String keep = ", so keep it on: it replaces a connection that a database restart or a firewall dropped before"
                + " your code sees it.";
        if (off.throughput().overlaps(on.throughput())) {
            return "Pre-ping made no measurable difference " + where + " (" + signedPercent(-c)
                    + " throughput, within the intervals)" + keep;
        }
        if (c < 0) {
            return "Pre-ping showed no cost " + where + " (the runs with it were " + percent(-c) + " faster, which"
                    + " is noise)" + keep;
        }
        if (c <= PING_CHEAP) {
            return "Pre-ping cost " + percent(c) + " " + where + keep;
        }
        return "Pre-ping cost " + percent(c) + " " + where + " (one round trip per checkout), so it is off; turn it"
                + " on if idle connections can be dropped (firewalls, failovers), or set poolRecycle below the"
                + " server's idle timeout instead.";
    }

    /** Pre-ping off and on for {@code s}'s backend: at its sizing if measured both ways there, else at another. */
    static Optional<Measurement[]> pingPair(List<Measurement> athanor, Setup s) {
        List<Setup> sizings = new ArrayList<>(List.of(s));
        athanor.stream().map(Measurement::setup).filter(o -> o.backend().equals(s.backend())).forEach(sizings::add);
        for (Setup at : sizings) {
            Optional<Measurement> off = find(athanor, s.backend(), at.poolSize(), at.maxOverflow(), false);
            Optional<Measurement> on = find(athanor, s.backend(), at.poolSize(), at.maxOverflow(), true);
            if (off.isPresent() && on.isPresent() && off.get().opsPerSec() > 0) {
                return Optional.of(new Measurement[] {off.get(), on.get()});
            }
        }
        return Optional.empty();
    }

    static Optional<Measurement> find(List<Measurement> ms, String backend, int poolSize, int maxOverflow,
                                      boolean prePing) {
        return ms.stream().filter(m -> m.setup().kind() == Setup.Kind.ATHANOR
                        && m.setup().backend().equals(backend) && m.setup().poolSize() == poolSize
                        && m.setup().maxOverflow() == maxOverflow && m.setup().prePing() == prePing)
                .findFirst();
    }

    /** Athanor's throughput over the raw pool's at the raw pool's settings, for the chosen backend. */
    static Optional<Double> rawRatio(List<Measurement> ms, Measurement chosen) {
        for (Measurement raw : ms) {
            Setup r = raw.setup();
            if (r.kind() == Setup.Kind.RAW && r.backend().equals(chosen.setup().backend()) && raw.opsPerSec() > 0) {
                Optional<Measurement> same = find(ms, r.backend(), r.poolSize(), r.maxOverflow(), r.prePing());
                if (same.isPresent()) {
                    return Optional.of(same.get().opsPerSec() / raw.opsPerSec());
                }
            }
        }
        return Optional.empty();
    }

    /** {@code 400,000 ± 4,000}. */
    static String opsWithInterval(Measurement m) {
        return m.throughput().halfWidth() > 0 ? ops(m.opsPerSec()) + " ± " + ops(m.throughput().halfWidth())
                : ops(m.opsPerSec());
    }

    static String ops(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String signedPercent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }
}
