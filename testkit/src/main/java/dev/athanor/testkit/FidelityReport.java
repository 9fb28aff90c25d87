package dev.athanor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One backend's results: per rule and target, an {@link Outcome} and its detail (the bound, the reason, the first
 * line of a failure). Stored as {@code <backend>.tsv} (read back by {@link FidelityTable}) next to a readable
 * {@code <backend>.md}.
 */
final class FidelityReport {
    static final String HEADER = "# athanor fidelity report v1";

    /** One rule on one target. */
    record Entry(String ruleId, String ruleName, Target target, Outcome outcome, String detail) {
        Entry {
            Objects.requireNonNull(ruleId, "ruleId");
            ruleName = clean(ruleName);
            detail = clean(detail);
        }

        String key() {
            return ruleId + "@" + target.label();
        }
    }

    private final String backend;
    private final Map<String, Entry> entries = new TreeMap<>();

    FidelityReport(String backend) {
        this.backend = backend;
    }

    String backend() {
        return backend;
    }

    synchronized void add(Entry e) {
        entries.put(e.key(), e);
    }

    /** Entries ordered by rule (group order, then number) and target. */
    synchronized List<Entry> entries() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(ORDER);
        return list;
    }

    /** Adds every entry of {@code later} over this report's: a second test pass completing the first one's results. */
    void merge(FidelityReport later) {
        later.entries().forEach(this::add);
    }

    synchronized Entry get(String ruleId, Target target) {
        return entries.get(ruleId + "@" + target.label());
    }

    static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> RuleIds.sortKey(e.ruleId()))
            .thenComparing(Entry::target);

    // ---- files

    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            StringBuilder tsv = new StringBuilder(HEADER).append("\tbackend=").append(backend).append('\n');
            tsv.append("# rule\ttarget\toutcome\tdetail\tname\n");
            for (Entry e : entries()) {
                tsv.append(e.ruleId()).append('\t').append(e.target().label()).append('\t').append(e.outcome().name())
                        .append('\t').append(e.detail()).append('\t').append(e.ruleName()).append('\n');
            }
            Files.writeString(dir.resolve(backend + ".tsv"), tsv, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(backend + ".md"), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the fidelity report to " + dir, e);
        }
    }

    static FidelityReport read(Path tsv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read fidelity report " + tsv, e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER + "\tbackend=")) {
            throw new IllegalArgumentException(tsv + " is not an athanor fidelity report (first line must be '"
                    + HEADER + "\\tbackend=NAME')");
        }
        FidelityReport r = new FidelityReport(lines.get(0).substring((HEADER + "\tbackend=").length()).trim());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException(tsv + ":" + (i + 1) + ": expected 5 tab-separated fields, found "
                        + f.length);
            }
            r.add(new Entry(f[0], f[4], Target.fromLabel(f[1]), Outcome.valueOf(f[2]), f[3]));
        }
        return r;
    }

    /** The backend's own table: a row per rule, a column per target it ran on, then the bounds and reasons. */
    String markdown() {
        List<Entry> list = entries();
        List<Target> targets = new ArrayList<>();
        for (Target t : Target.values()) {
            if (list.stream().anyMatch(e -> e.target() == t)) {
                targets.add(t);
            }
        }
        Map<String, Map<Target, Entry>> rows = new LinkedHashMap<>();
        for (Entry e : list) {
            rows.computeIfAbsent(e.ruleId(), k -> new LinkedHashMap<>()).put(e.target(), e);
        }
        StringBuilder md = new StringBuilder("# Fidelity of pool backend `").append(backend).append("`\n\n");
        md.append("Written by the athanor contract test kit. pass = the rule holds exactly; bound = it holds within")
                .append(" the bound the backend declares; unsupported = the backend refuses the knob; skipped = the")
                .append(" rule could not run here.\n\n");
        md.append("| rule |");
        targets.forEach(t -> md.append(' ').append(t.label()).append(" |"));
        md.append("\n|---|");
        targets.forEach(t -> md.append("---|"));
        md.append('\n');
        for (Map.Entry<String, Map<Target, Entry>> row : rows.entrySet()) {
            Entry any = row.getValue().values().iterator().next();
            md.append("| ").append(row.getKey()).append(' ').append(escape(any.ruleName())).append(" |");
            for (Target t : targets) {
                Entry e = row.getValue().get(t);
                md.append(' ').append(e == null ? "" : e.outcome() == Outcome.FAIL || e.outcome() == Outcome.SKIPPED
                        ? e.outcome().word() + ": " + escape(e.detail()) : e.outcome().word()).append(" |");
            }
            md.append('\n');
        }
        List<String> notes = notes();
        if (!notes.isEmpty()) {
            md.append("\nBounds and reasons, as the backend declares them:\n\n");
            notes.forEach(n -> md.append("- ").append(escape(n)).append('\n'));
        }
        return md.toString();
    }

    /** The distinct declared bounds and reasons behind BOUND and UNSUPPORTED results, one per knob. */
    List<String> notes() {
        Set<String> notes = new LinkedHashSet<>();
        for (Entry e : entries()) {
            if (e.outcome() == Outcome.BOUND || e.outcome() == Outcome.UNSUPPORTED) {
                // One "knob: reason" per knob the rule needs; a reason may itself contain "; ".
                for (String part : e.detail().split("; (?=\\w+: )")) {
                    notes.add(e.outcome().word() + " " + part);
                }
            }
        }
        List<String> sorted = new ArrayList<>(notes);
        sorted.sort(null);
        return sorted;
    }

    static String escape(String s) {
        return s.replace("|", "\\|");
    }

    static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ').strip();
    }

    // ---- staleness

    /**
     * Differences between this run and the committed report: a rule that ran here with another outcome or detail, or
     * that the committed report lacks. Rules skipped here or there (database unreachable, no virtual threads) and
     * committed rules this run did not reach (a filtered run) are not compared.
     */
    List<String> differencesFrom(FidelityReport committed) {
        List<String> diffs = new ArrayList<>();
        for (Entry now : entries()) {
            if (now.outcome() == Outcome.SKIPPED) {
                continue;
            }
            Entry then = committed.get(now.ruleId(), now.target());
            if (then == null) {
                diffs.add(now.ruleId() + " on " + now.target().label() + ": not in the committed report, now "
                        + describe(now));
            } else if (then.outcome() != Outcome.SKIPPED && (then.outcome() != now.outcome()
                    || now.outcome() != Outcome.FAIL && !then.detail().equals(now.detail()))) {
                diffs.add(now.ruleId() + " on " + now.target().label() + ": committed " + describe(then) + ", now "
                        + describe(now));
            }
        }
        return diffs;
    }

    private static String describe(Entry e) {
        return e.outcome().word() + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
    }

    static List<FidelityReport> readAll(Collection<Path> files) {
        List<FidelityReport> list = new ArrayList<>();
        for (Path p : files) {
            list.add(read(p));
        }
        return list;
    }
}
