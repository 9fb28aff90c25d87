package dev.athanor.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the backend, poolSize, maxOverflow and prePing for the measured workload, and says why in a few sentences.
 * The rules: the highest throughput wins; a smaller pool of the same backend within {@link #NEAR} of it is preferred
 * (fewer connections on the database for the same work); pre-ping is recommended on when it costs at most
 * {@link #PING_CHEAP}, since it catches connections a restart or a firewall killed.
 *
 * @param setup     the recommended configuration (null when nothing was measured)
 * @param opsPerSec its measured throughput
 * @param text      the reasons, 2–4 sentences
 */
public record Recommendation(Setup setup, double opsPerSec, String text) {
    /** Throughput within 3 % of the best counts as a tie. */
    static final double NEAR = 0.03;
    /** A pre-ping costing 5 % or less is worth keeping on. */
    static final double PING_CHEAP = 0.05;

    /** The one-line verdict: {@code backend=hikari poolSize=4 maxOverflow=0 prePing=on}. */
    public String headline() {
        if (setup == null) {
            return "no recommendation";
        }
        return "backend=" + setup.backend() + " poolSize=" + setup.poolSize() + " maxOverflow=" + setup.maxOverflow()
                + " prePing=" + Setup.onOff(setup.prePing());
    }

    public static Recommendation of(List<Measurement> measurements) {
        List<Measurement> athanor = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.setup().kind() == Setup.Kind.ATHANOR && m.opsPerSec() > 0) {
                athanor.add(m);
            }
        }
        if (athanor.isEmpty()) {
            return new Recommendation(null, 0, "No Athanor configuration completed, so there is nothing to"
                    + " recommend; see the errors above.");
        }
        Measurement best = athanor.stream().max(Comparator.comparingDouble(Measurement::opsPerSec)).orElseThrow();
        Setup top = best.setup();

        // A smaller pool of the same backend that is as fast (within NEAR) puts less load on the database.
        Measurement sized = athanor.stream()
                .filter(m -> m.setup().backend().equals(top.backend()) && m.setup().prePing() == top.prePing())
                .filter(m -> m.opsPerSec() >= best.opsPerSec() * (1 - NEAR))
                .min(Comparator.comparingInt((Measurement m) -> m.setup().maxConnections())
                        .thenComparing(Comparator.comparingDouble(Measurement::opsPerSec).reversed()))
                .orElse(best);

        Optional<Double> pingCost = pingCost(athanor, sized.setup());
        boolean ping = pingCost.map(c -> c <= PING_CHEAP).orElse(top.prePing());
        Measurement chosen = find(athanor, sized.setup().backend(), sized.setup().poolSize(),
                sized.setup().maxOverflow(), ping).orElse(sized);

        StringBuilder text = new StringBuilder();
        Optional<Measurement> runnerUp = athanor.stream()
                .filter(m -> !m.setup().backend().equals(top.backend()))
                .max(Comparator.comparingDouble(Measurement::opsPerSec));
        text.append(top.backend()).append(" gave the highest throughput for this workload: ")
                .append(ops(best.opsPerSec())).append(" ops/s at poolSize ").append(top.poolSize())
                .append(", maxOverflow ").append(top.maxOverflow()).append(" with ").append(best.threads())
                .append(" threads");
        runnerUp.ifPresent(r -> text.append(", ").append(percent(1 - r.opsPerSec() / best.opsPerSec()))
                .append(" ahead of the best ").append(r.setup().backend()).append(" run"));
        text.append('.');
        runnerUp.ifPresent(r -> {
            double lead = 1 - r.opsPerSec() / best.opsPerSec();
            double noise = Math.max(best.noise(), r.noise());
            if (lead < 2 * noise) {
                text.append(" That lead is within this run's noise (±").append(percent(noise).replace(".0%", "%"))
                        .append("): run again, or longer with --duration, before choosing on it.");
            }
        });
        if (sized != best) {
            text.append(" poolSize ").append(sized.setup().poolSize()).append(", maxOverflow ")
                    .append(sized.setup().maxOverflow()).append(" came within ")
                    .append(percent(1 - sized.opsPerSec() / best.opsPerSec()))
                    .append(" of it with fewer connections, so it is the better choice for a shared database.");
        }
        text.append(' ').append(pingSentence(pingCost));
        rawRatio(measurements, chosen).ifPresent(r -> text.append(" Athanor over ").append(chosen.setup().backend())
                .append(" ran at ").append(String.format(Locale.ROOT, "%.2f", r)).append("× the raw ")
                .append(chosen.setup().backend()).append(" pool with the same settings."));
        return new Recommendation(chosen.setup(), chosen.opsPerSec(), text.toString());
    }

    private static String pingSentence(Optional<Double> cost) {
        if (cost.isEmpty()) {
            return "Pre-ping was not measured both ways at this size.";
        }
        double c = cost.get();
        if (c <= -0.01) {
            return "Pre-ping showed no cost here (the run with it was " + percent(-c) + " faster, which is noise),"
                    + " so keep it on: it replaces a connection that a database restart or a firewall dropped before"
                    + " your code sees it.";
        }
        if (c <= 0.01) {
            return "Pre-ping made no measurable difference here (" + signedPercent(-c) + " throughput), so keep it"
                    + " on: it replaces a connection that a database restart or a firewall dropped before your code"
                    + " sees it.";
        }
        if (c <= PING_CHEAP) {
            return "Pre-ping cost " + percent(c) + " here, so keep it on: it replaces a connection that a database"
                    + " restart or a firewall dropped before your code sees it.";
        }
        return "Pre-ping cost " + percent(c) + " here (one round trip per checkout), so it is off; turn it on if"
                + " idle connections can be dropped (firewalls, failovers), or set poolRecycle below the server's"
                + " idle timeout instead.";
    }

    /** Throughput lost by turning pre-ping on at {@code s}'s backend and sizing, as a fraction. */
    static Optional<Double> pingCost(List<Measurement> athanor, Setup s) {
        Optional<Measurement> off = find(athanor, s.backend(), s.poolSize(), s.maxOverflow(), false);
        Optional<Measurement> on = find(athanor, s.backend(), s.poolSize(), s.maxOverflow(), true);
        if (off.isEmpty() || on.isEmpty() || off.get().opsPerSec() <= 0) {
            return Optional.empty();
        }
        return Optional.of(1 - on.get().opsPerSec() / off.get().opsPerSec());
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
