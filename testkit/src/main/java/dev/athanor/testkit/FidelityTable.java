package dev.athanor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes the README's fidelity table from the contract kit's reports, and checks that it is current. The reports a
 * build writes ({@code <module>/target/athanor-fidelity/<backend>.tsv}) are copied into the committed
 * {@code testkit/fidelity/}, and the table between {@code <!-- fidelity:start -->} and {@code <!-- fidelity:end -->}
 * in {@code README.md} and {@code testkit/README.md} is rewritten from them:
 *
 * <pre>{@code
 * mvn -B clean verify -Dathanor.testkit.fidelityCheck=false
 * java -cp testkit/target/classes dev.athanor.testkit.FidelityTable --update .
 * }</pre>
 *
 * <p>In an adapter's own single-module project the same command reads {@code target/athanor-fidelity/*.tsv},
 * commits them to {@code fidelity/} and rewrites the table in its {@code README.md} (run it with the kit's jar on the
 * class path instead of {@code testkit/target/classes}).
 *
 * <p>{@code --check .} exits with status 1 when a README's table differs from the committed reports;
 * {@code --print DIR} prints the table made from {@code DIR/*.tsv}.
 */
public final class FidelityTable {
    /** Marks the start of the generated table in a README. */
    public static final String START = "<!-- fidelity:start -->";
    /** Marks the end of the generated table in a README. */
    public static final String END = "<!-- fidelity:end -->";
    /** Where the committed reports live, relative to the project root. */
    public static final String COMMITTED = "testkit/fidelity";
    /** Where a module's contract tests write their reports, relative to the module. */
    static final String REPORTS = "target/athanor-fidelity";

    /** The documented command that regenerates the committed reports and the tables. */
    static final String REGENERATE = "mvn -B clean verify -Dathanor.testkit.fidelityCheck=false && java -cp"
            + " testkit/target/classes dev.athanor.testkit.FidelityTable --update .";

    private static final List<String> PREFERRED = List.of("hikari", "dbcp", "c3p0", "null", "static");
    private static final List<String> READMES = List.of("README.md", "testkit/README.md");

    private FidelityTable() {
    }

    /**
     * {@code --update ROOT}, {@code --check ROOT} or {@code --print DIR}.
     *
     * @param args the command and its directory
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            usage();
            return;
        }
        Path dir = Path.of(args[1]).toAbsolutePath().normalize();
        switch (args[0]) {
            case "--update":
                List<String> done;
                try {
                    done = update(dir);
                } catch (IllegalStateException e) {
                    System.err.println(e.getMessage());
                    System.exit(1);
                    return;
                }
                done.forEach(System.out::println);
                break;
            case "--check":
                List<String> problems = check(dir);
                if (!problems.isEmpty()) {
                    problems.forEach(System.err::println);
                    System.exit(1);
                }
                System.out.println("the fidelity table is current");
                break;
            case "--print":
                System.out.print(render(FidelityReport.readAll(tsvFiles(dir))));
                break;
            default:
                usage();
        }
    }

    private static void usage() {
        System.err.println("usage: FidelityTable --update ROOT | --check ROOT | --print DIR");
        System.exit(2);
    }

    /**
     * Copies the reports a build wrote into the committed directory and rewrites the READMEs' tables. Works for this
     * multi-module project and for an adapter's own single-module one (reports in {@code ROOT/target/athanor-fidelity},
     * committed to {@code ROOT/fidelity}). Fails, changing nothing, when no README has the markers or when the build
     * wrote no report: an empty table is never written.
     */
    static List<String> update(Path root) {
        List<String> done = new ArrayList<>();
        Path committed = committedDir(root);
        try {
            List<Path> targets = new ArrayList<>(List.of(root.resolve(REPORTS)));
            try (Stream<Path> modules = Files.list(root)) {
                modules.map(m -> m.resolve(REPORTS)).filter(Files::isDirectory).sorted().forEach(targets::add);
            }
            List<Path> fresh = targets.stream().filter(Files::isDirectory).flatMap(d -> tsvFiles(d).stream())
                    .collect(Collectors.toList());
            List<Path> readmes = readmes(root);
            if (readmes.isEmpty()) {
                throw new IllegalStateException("no README under " + root + " (" + String.join(", ", READMES)
                        + ") has the markers " + START + " and " + END + ": add them where the table goes; nothing"
                        + " was changed");
            }
            if (fresh.isEmpty()) {
                throw new IllegalStateException("no fidelity report (*.tsv) under " + root.resolve(REPORTS)
                        + " or <module>/" + REPORTS + ": run the contract tests first (mvn verify"
                        + " -Dathanor.testkit.fidelityCheck=false); nothing was changed");
            }
            Files.createDirectories(committed);
            for (Path report : fresh) {
                FidelityReport r = FidelityReport.read(report);
                Files.copy(report, committed.resolve(r.backend() + ".tsv"), StandardCopyOption.REPLACE_EXISTING);
                done.add("copied " + root.relativize(report) + " -> " + root.relativize(committed) + "/"
                        + r.backend() + ".tsv");
            }
            String table = render(FidelityReport.readAll(tsvFiles(committed)), source(root));
            for (Path readme : readmes) {
                String text = Files.readString(readme, StandardCharsets.UTF_8);
                Files.writeString(readme, replaceTable(text, table), StandardCharsets.UTF_8);
                done.add("rewrote the table in " + root.relativize(readme));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return done;
    }

    /**
     * Where the committed reports live: {@value #COMMITTED} in this project (it has a {@code testkit} module),
     * {@code fidelity} in an adapter's own project.
     */
    static Path committedDir(Path root) {
        return Files.isDirectory(root.resolve("testkit")) ? root.resolve(COMMITTED) : root.resolve("fidelity");
    }

    /** Why the READMEs' tables are stale against the committed reports; empty when current. */
    static List<String> check(Path root) {
        List<String> problems = new ArrayList<>();
        List<FidelityReport> reports = committed(root);
        problems.addAll(unrun(reports));
        String table = render(reports, source(root));
        List<Path> readmes = readmes(root);
        if (readmes.isEmpty()) {
            problems.add("no README under " + root + " has the markers " + START + " / " + END);
        }
        if (reports.isEmpty()) {
            problems.add("no committed fidelity report under " + committedDir(root) + "; make them: " + REGENERATE);
        }
        for (Path readme : readmes) {
            String text;
            try {
                text = Files.readString(readme, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!replaceTable(text, table).equals(text)) {
                problems.add("the fidelity table in " + root.relativize(readme) + " is stale: it differs from the"
                        + " one made from " + COMMITTED + "/*.tsv; regenerate it: " + REGENERATE);
            }
        }
        return problems;
    }

    /**
     * Rules the reports cannot vouch for: one skipped on every target of a backend (it ran nowhere, like the
     * virtual-thread rule when no pass ran on a newer JDK), or one that some backend's report has and another's
     * lacks (a pass whose results were not merged in). A check that ignores skips must not let a rule that never
     * runs look current.
     */
    static List<String> unrun(List<FidelityReport> reports) {
        List<String> problems = new ArrayList<>();
        Set<String> allIds = new TreeSet<>(Comparator.comparing(RuleIds::sortKey));
        reports.forEach(r -> r.entries().forEach(e -> allIds.add(e.ruleId())));
        for (FidelityReport r : reports) {
            Map<String, List<FidelityReport.Entry>> byRule = new LinkedHashMap<>();
            r.entries().forEach(e -> byRule.computeIfAbsent(e.ruleId(), k -> new ArrayList<>()).add(e));
            for (String id : allIds) {
                List<FidelityReport.Entry> entries = byRule.get(id);
                if (entries == null) {
                    problems.add(id + " is missing from the committed report of '" + r.backend() + "': run every"
                            + " test pass (the virtual-thread rules run on the newer JDK) and regenerate: "
                            + REGENERATE);
                } else if (entries.stream().allMatch(e -> e.outcome() == Outcome.SKIPPED)) {
                    problems.add(id + " never ran for '" + r.backend() + "': skipped on " + entries.stream()
                            .map(e -> e.target().label()).collect(Collectors.joining(", ")) + " ("
                            + entries.get(0).detail() + "); run it where it can run and regenerate: " + REGENERATE);
                }
            }
        }
        return problems;
    }

    /** The committed reports under {@code root}. */
    static List<FidelityReport> committed(Path root) {
        return FidelityReport.readAll(tsvFiles(committedDir(root)));
    }

    static List<Path> readmes(Path root) {
        List<Path> list = new ArrayList<>();
        for (String name : READMES) {
            Path p = root.resolve(name);
            try {
                if (Files.isRegularFile(p) && Files.readString(p, StandardCharsets.UTF_8).contains(START)) {
                    list.add(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return list;
    }

    static List<Path> tsvFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tsv")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String replaceTable(String text, String table) {
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the README needs " + START + " before " + END);
        }
        return text.substring(0, start) + START + "\n" + table + END + text.substring(end + END.length());
    }

    // ---- rendering

    /** Where the committed reports of {@code root} are, as the generated table names them. */
    private static String source(Path root) {
        return root.relativize(committedDir(root)).toString().replace('\\', '/');
    }

    /** The table for this project's committed reports ({@value #COMMITTED}). */
    static String render(List<FidelityReport> reports) {
        return render(reports, COMMITTED);
    }

    /** The Markdown table (and its notes) for {@code reports}: a row per rule, a column per backend. */
    static String render(List<FidelityReport> reports, String source) {
        List<FidelityReport> ordered = new ArrayList<>(reports);
        ordered.sort(Comparator.comparing((FidelityReport r) -> {
            int i = PREFERRED.indexOf(r.backend());
            return i < 0 ? PREFERRED.size() : i;
        }).thenComparing(FidelityReport::backend));
        Map<String, String> names = new LinkedHashMap<>();
        for (FidelityReport r : ordered) {
            for (FidelityReport.Entry e : r.entries()) {
                names.putIfAbsent(e.ruleId(), e.ruleName());
            }
        }
        List<String> ids = new ArrayList<>(names.keySet());
        ids.sort(Comparator.comparing(RuleIds::sortKey));
        StringBuilder md = new StringBuilder();
        md.append("<!-- generated by dev.athanor.testkit.FidelityTable from ").append(source)
                .append("/*.tsv: do not edit by hand -->\n\n");
        md.append("| rule |");
        ordered.forEach(r -> md.append(" `").append(r.backend()).append("` |"));
        md.append("\n|---|");
        ordered.forEach(r -> md.append("---|"));
        md.append('\n');
        for (String id : ids) {
            md.append("| ").append(id).append(' ').append(FidelityReport.escape(names.get(id))).append(" |");
            for (FidelityReport r : ordered) {
                md.append(' ').append(cell(r, id)).append(" |");
            }
            md.append('\n');
        }
        md.append("\npass: holds exactly on every database the rule runs on; bound: holds within the bound the"
                + " backend declares; unsupported: the backend refuses the knob; not run: the rule could not run"
                + " there (e.g. a database that was not reachable). Per database:"
                + " `<module>/target/athanor-fidelity/<backend>.md`.\n");
        StringBuilder notes = new StringBuilder();
        for (FidelityReport r : ordered) {
            for (String note : r.notes()) {
                notes.append("- `").append(r.backend()).append("` ").append(FidelityReport.escape(note)).append('\n');
            }
        }
        if (notes.length() > 0) {
            md.append("\nBounds and reasons, as the backends declare them:\n\n").append(notes);
        }
        return md.toString();
    }

    private static String cell(FidelityReport r, String id) {
        Map<Outcome, List<String>> byOutcome = new LinkedHashMap<>();
        for (FidelityReport.Entry e : r.entries()) {
            if (e.ruleId().equals(id)) {
                byOutcome.computeIfAbsent(e.outcome(), k -> new ArrayList<>()).add(e.target().label());
            }
        }
        if (byOutcome.isEmpty()) {
            return "";
        }
        List<String> skipped = byOutcome.remove(Outcome.SKIPPED);
        if (byOutcome.isEmpty()) {
            return "not run";
        }
        if (byOutcome.size() == 1) {
            Outcome only = byOutcome.keySet().iterator().next();
            return only.word() + (skipped == null ? "" : " (not run on " + String.join(", ", skipped) + ")");
        }
        List<String> parts = new ArrayList<>();
        byOutcome.forEach((o, targets) -> parts.add(o.word() + " (" + String.join(", ", targets) + ")"));
        if (skipped != null) {
            parts.add("not run (" + String.join(", ", skipped) + ")");
        }
        return String.join("; ", parts);
    }
}
