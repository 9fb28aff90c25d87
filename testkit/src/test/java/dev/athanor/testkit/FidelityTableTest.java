package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fidelity reports, the merged table, and the check that the README's table is current. */
class FidelityTableTest {
    @TempDir
    Path tmp;

    private static FidelityReport report(String backend, Object... entries) {
        FidelityReport r = new FidelityReport(backend);
        for (int i = 0; i < entries.length; i += 4) {
            r.add(new FidelityReport.Entry((String) entries[i], "name of " + entries[i], (Target) entries[i + 1],
                    (Outcome) entries[i + 2], (String) entries[i + 3]));
        }
        return r;
    }

    @Test
    void aReportRoundTripsThroughItsTsvFile() {
        FidelityReport r = report("mypool", "SIZE-2", Target.STUB, Outcome.PASS, "",
                "SIZE-10", Target.H2, Outcome.BOUND, "maxOverflow within 2.0 s: closes late",
                "SETUP-1", Target.ANY, Outcome.FAIL, "a\tmessage\nwith lines");
        r.write(tmp);
        FidelityReport back = FidelityReport.read(tmp.resolve("mypool.tsv"));
        assertThat(back.backend()).isEqualTo("mypool");
        assertThat(back.entries()).containsExactlyElementsOf(r.entries());
        assertThat(back.entries()).extracting(FidelityReport.Entry::ruleId).containsExactly("SETUP-1", "SIZE-2",
                "SIZE-10");
        assertThat(tmp.resolve("mypool.md")).content().contains("| SIZE-2 name of SIZE-2 |  | pass |  |");
    }

    @Test
    void theTableHasAColumnPerBackendAndSummarisesTheDatabases() {
        String table = FidelityTable.render(List.of(
                report("zeta", "SIZE-1", Target.STUB, Outcome.PASS, ""),
                report("null", "SIZE-1", Target.STUB, Outcome.UNSUPPORTED, "poolSize: keeps nothing",
                        "RECY-1", Target.STUB, Outcome.PASS, "", "RECY-1", Target.H2, Outcome.FAIL, "boom",
                        "CONC-3", Target.STUB, Outcome.SKIPPED, "needs Java 21"),
                report("hikari", "SIZE-1", Target.STUB, Outcome.BOUND, "poolSize within 1.0 s: x",
                        "SIZE-1", Target.H2, Outcome.PASS, "", "RECY-1", Target.STUB, Outcome.PASS, "",
                        "RECY-1", Target.POSTGRESQL, Outcome.SKIPPED, "not reachable")));
        assertThat(table).contains("| rule | `hikari` | `null` | `zeta` |")
                .contains("| SIZE-1 name of SIZE-1 | bound (stub); pass (H2) | unsupported | pass |")
                .contains("| RECY-1 name of RECY-1 | pass (not run on PostgreSQL) | pass (stub); FAIL (H2) |  |")
                .contains("| CONC-3 name of CONC-3 |  | not run |  |")
                .contains("- `null` unsupported poolSize: keeps nothing")
                .contains("- `hikari` bound poolSize within 1.0 s: x");
        assertThat(table.indexOf("SIZE-1")).isLessThan(table.indexOf("RECY-1"));
    }

    @Test
    void aRunDiffersFromTheCommittedReportOnlyWhereBothRan() {
        FidelityReport committed = report("p", "SIZE-1", Target.STUB, Outcome.PASS, "",
                "SIZE-2", Target.H2, Outcome.PASS, "", "TIME-1", Target.STUB, Outcome.BOUND, "poolTimeout within 1 s",
                "CONC-3", Target.STUB, Outcome.SKIPPED, "old JDK");
        FidelityReport now = report("p", "SIZE-1", Target.STUB, Outcome.PASS, "",
                "SIZE-2", Target.H2, Outcome.SKIPPED, "H2 down", "TIME-1", Target.STUB, Outcome.BOUND,
                "poolTimeout within 2 s", "CONC-3", Target.STUB, Outcome.PASS, "", "LIFO-1", Target.STUB,
                Outcome.UNSUPPORTED, "useLifo: no");
        assertThat(now.differencesFrom(committed)).containsExactly(
                "TIME-1 on stub: committed bound (poolTimeout within 1 s), now bound (poolTimeout within 2 s)",
                "LIFO-1 on stub: not in the committed report, now unsupported (useLifo: no)");
        assertThat(committed.differencesFrom(committed)).isEmpty();
    }

    @Test
    void aRuleSkippedOnEveryTargetOrMissingFromABackendMakesTheCheckFail() throws IOException {
        FidelityReport ranNowhere = report("hikari", "SIZE-1", Target.STUB, Outcome.PASS, "",
                "CONC-3", Target.STUB, Outcome.SKIPPED, "needs Java 21", "CONC-3", Target.H2, Outcome.SKIPPED, "x");
        FidelityReport partly = report("dbcp", "SIZE-1", Target.STUB, Outcome.PASS, "",
                "CONC-3", Target.STUB, Outcome.PASS, "", "CONC-3", Target.POSTGRESQL, Outcome.SKIPPED, "down");
        FidelityReport lacking = report("c3p0", "SIZE-1", Target.STUB, Outcome.UNSUPPORTED, "poolSize: no");
        assertThat(FidelityTable.unrun(List.of(ranNowhere, partly, lacking))).containsExactly(
                "CONC-3 never ran for 'hikari': skipped on stub, H2 (needs Java 21); run it where it can run and"
                        + " regenerate: " + FidelityTable.REGENERATE,
                "CONC-3 is missing from the committed report of 'c3p0': run every test pass (the virtual-thread rules"
                        + " run on the newer JDK) and regenerate: " + FidelityTable.REGENERATE);
        assertThat(FidelityTable.unrun(List.of(partly))).isEmpty();

        // Through the check a build runs: committed reports whose README table is current still fail.
        Path committed = tmp.resolve(FidelityTable.COMMITTED);
        ranNowhere.write(committed);
        Files.writeString(tmp.resolve("README.md"), FidelityTable.START + "\n"
                + FidelityTable.render(List.of(ranNowhere)) + FidelityTable.END + "\n");
        assertThat(FidelityTable.check(tmp)).singleElement().asString().startsWith("CONC-3 never ran for 'hikari'");
    }

    @Test
    void updateCopiesTheBuildsReportsAndRewritesTheTableBetweenTheMarkers() throws IOException {
        report("mypool", "SIZE-1", Target.STUB, Outcome.PASS, "").write(tmp.resolve("pool-my/target/athanor-fidelity"));
        Files.createDirectories(tmp.resolve("testkit"));
        Path readme = tmp.resolve("README.md");
        Files.writeString(readme, "# Title\n\n" + FidelityTable.START + "\nold table\n" + FidelityTable.END
                + "\n\nafter\n");
        assertThat(FidelityTable.check(tmp)).anyMatch(p -> p.contains("is stale"));
        FidelityTable.update(tmp);
        assertThat(tmp.resolve("testkit/fidelity/mypool.tsv")).exists();
        assertThat(readme).content().startsWith("# Title\n\n" + FidelityTable.START + "\n<!-- generated")
                .contains("| SIZE-1 name of SIZE-1 | pass |").endsWith(FidelityTable.END + "\n\nafter\n");
        assertThat(FidelityTable.check(tmp)).isEmpty();
        Files.writeString(readme, Files.readString(readme).replace("| pass |", "| bound |"));
        assertThat(FidelityTable.check(tmp)).singleElement().asString().contains("README.md is stale");
    }

    /**
     * The README's table against the committed reports. The other half of the staleness check runs in every module
     * that runs the kit: its fresh results are compared with the committed report of its backend (ContractExtension).
     */
    @Test
    void theReadmesFidelityTableIsCurrent() {
        // The regeneration command builds with this flag off: the tables are about to be rewritten.
        Assumptions.assumeFalse("false".equals(System.getProperty("athanor.testkit.fidelityCheck")),
                "athanor.testkit.fidelityCheck=false: regenerating the fidelity tables");
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(FidelityTable.readmes(root)).as("READMEs with the fidelity table").isNotEmpty();
        assertThat(FidelityTable.check(root)).isEmpty();
        for (FidelityReport r : FidelityTable.committed(root)) {
            assertThat(r.entries()).extracting(FidelityReport.Entry::ruleId).as("rules in the committed report of %s",
                    r.backend()).allMatch(RuleCatalog.rules()::containsKey);
            // Every rule of the kit, including the virtual-thread one that only the newer JDK's pass runs.
            assertThat(r.entries()).extracting(FidelityReport.Entry::ruleId).as("rules in the committed report of %s",
                    r.backend()).containsAll(RuleCatalog.rules().keySet());
        }
    }

    @Test
    void updateInASingleModuleProjectCommitsItsReportsAndRewritesItsReadme() throws IOException {
        report("mypool", "SIZE-1", Target.STUB, Outcome.PASS, "").write(tmp.resolve("target/athanor-fidelity"));
        Files.writeString(tmp.resolve("README.md"), "# mypool\n\n" + FidelityTable.START + "\nstale text\n"
                + FidelityTable.END + "\nafter\n");
        List<String> done = FidelityTable.update(tmp);
        assertThat(done).contains("copied target/athanor-fidelity/mypool.tsv -> fidelity/mypool.tsv",
                "rewrote the table in README.md");
        assertThat(tmp.resolve("fidelity/mypool.tsv")).exists();
        assertThat(tmp.resolve("README.md")).content().contains("| rule | `mypool` |")
                .contains("| SIZE-1 name of SIZE-1 | pass |").contains("FidelityTable from fidelity/*.tsv")
                .doesNotContain("stale text").endsWith("after\n");
        assertThat(FidelityTable.check(tmp)).isEmpty();
    }

    @Test
    void updateWithoutReportsOrWithoutMarkersFailsAndChangesNothing() throws IOException {
        Files.writeString(tmp.resolve("README.md"), FidelityTable.START + "\nstale text\n" + FidelityTable.END + "\n");
        assertThatThrownBy(() -> FidelityTable.update(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no fidelity report").hasMessageContaining("nothing was changed");
        assertThat(tmp.resolve("README.md")).content().contains("stale text");
        assertThat(tmp.resolve("fidelity")).doesNotExist();
        assertThat(FidelityTable.check(tmp)).anyMatch(p -> p.startsWith("no committed fidelity report"));

        report("mypool", "SIZE-1", Target.STUB, Outcome.PASS, "").write(tmp.resolve("target/athanor-fidelity"));
        Files.writeString(tmp.resolve("README.md"), "# mypool, no markers\n");
        assertThatThrownBy(() -> FidelityTable.update(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has the markers").hasMessageContaining("nothing was changed");
        assertThat(tmp.resolve("fidelity")).doesNotExist();
    }
}
