package dev.athanor.testkit;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * Runs around every rule of {@link PoolBackendContract}: checks the kit's setup, skips a rule whose knob the backend
 * declares UNSUPPORTED (with the backend's reason), prefixes every failure with the rule and what to check, records
 * each outcome, and after the whole contract class writes the backend's fidelity report and compares it with the
 * committed one.
 *
 * <p>Configuration parameters (or system properties): {@code athanor.testkit.report} ({@code false}: write nothing),
 * {@code athanor.testkit.reportDir} (default {@code target/athanor-fidelity}), {@code athanor.testkit.fidelityDir}
 * (the committed reports; unset: no comparison), {@code athanor.testkit.fidelityCheck} ({@code false}: write the
 * report but do not compare, for regenerating the committed ones), {@code athanor.testkit.reportMerge} ({@code true}:
 * add this run's results to the report an earlier pass of the same build wrote, e.g. the virtual-thread rules run on
 * a newer JDK after the rest ran on Java 17).
 */
final class ContractExtension implements BeforeEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler, TestWatcher, AfterAllCallback {
    private static final Namespace NS = Namespace.create(ContractExtension.class);
    private static final String REPORT = "report";
    private static final String RULE = "rule";

    /**
     * What the kit knows about the running rule. Kept in the contract class's store under the test's unique id: a
     * test's own store is closed before the TestWatcher callbacks run.
     */
    private record Running(ContractRule rule, String name, String backend, Target target, Capabilities caps,
                           AtomicBoolean recorded) {
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        ContractRule rule = ruleOf(ctx);
        if (rule == null) {
            return;
        }
        PoolBackendContract contract = contractOf(ctx);
        String backend = contract.providerName();
        Target target = ctx.getRequiredTestInstance() instanceof RuleGroup
                ? ((RuleGroup) ctx.getRequiredTestInstance()).target() : Target.ANY;
        Running running = new Running(rule, ruleName(ctx), backend, target, null, new AtomicBoolean());
        remember(ctx, running);
        if (rule.id().startsWith("SETUP-")) {
            return;
        }
        String problem = KitProviders.setupProblem(backend);
        if (problem != null) {
            throw new AssertionError("[" + rule.id() + "] the kit's setup check failed, so this rule cannot run: "
                    + problem);
        }
        Capabilities caps = KitProviders.require(backend).capabilities();
        remember(ctx, new Running(rule, running.name(), backend, target, caps, running.recorded()));
        List<String> reasons = new ArrayList<>();
        for (Knob knob : rule.knobs()) {
            Capability c = caps.get(knob);
            if (c.fidelity() == Fidelity.UNSUPPORTED) {
                reasons.add(knob.optionName() + ": " + c.note());
            }
        }
        if (!reasons.isEmpty()) {
            String detail = String.join("; ", reasons);
            record(ctx, Outcome.UNSUPPORTED, detail);
            Assumptions.abort("UNSUPPORTED by '" + backend + "' — " + detail);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
        throw explain(ctx, t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
        throw explain(ctx, t);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
        throw explain(ctx, t);
    }

    /**
     * The failure with the rule id, the rule's sentence and what to check in front, and what explains it after: its
     * causes, and whatever was added to it as suppressed (the leak check when the rule ended, failures of cleanup).
     */
    private static Throwable explain(ExtensionContext ctx, Throwable t) {
        Running r = running(ctx);
        if (r == null || t instanceof TestAbortedException || t instanceof RuleFailure
                || t.getMessage() != null && t.getMessage().startsWith("[" + r.rule().id() + "]")) {
            return t;
        }
        String header = "[" + r.rule().id() + "] " + r.name() + " — failed for backend '" + r.backend() + "' on "
                + r.target().label() + ":\n" + (t.getMessage() != null ? t.getMessage() : t.toString())
                + causes(t);
        RuleFailure e = new RuleFailure(header, "\nIf this fails, check " + r.rule().check(), t);
        e.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            e.addSuppressed(s);
        }
        return e;
    }

    /** "caused by" lines for the causes of {@code t} that say more than its own message (at most five). */
    static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        Throwable c = t.getCause();
        for (int i = 0; c != null && c != t && i < 5; i++, c = c.getCause()) {
            String text = c.toString();
            if (t.getMessage() == null || !t.getMessage().contains(String.valueOf(c.getMessage()))) {
                b.append("\n  caused by ").append(text);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return b.toString();
    }

    /**
     * A rule's failure. Its message lists what JUnit adds to it as suppressed after the rule ran (the kit's leak
     * check when the fixture closes, most often), before the hint: a leak found at the end is usually the cause of
     * the assertion that failed first, and the hint of that assertion alone would point elsewhere.
     */
    static final class RuleFailure extends AssertionError {
        private static final long serialVersionUID = 1L;
        private final String found;
        private final String hint;

        RuleFailure(String found, String hint, Throwable cause) {
            super(found, cause);
            this.found = found;
            this.hint = hint;
        }

        @Override
        public String getMessage() {
            StringBuilder b = new StringBuilder(found);
            for (Throwable s : getSuppressed()) {
                b.append("\nAlso found when the rule ended, and possibly the cause: ")
                        .append(s.getMessage() != null ? s.getMessage() : s.toString()).append(causes(s));
            }
            return b.append(hint).toString();
        }
    }

    // ---- recording

    @Override
    public void testSuccessful(ExtensionContext ctx) {
        Running r = running(ctx);
        if (r == null) {
            return;
        }
        List<String> bounds = new ArrayList<>();
        if (r.caps() != null) {
            for (Knob knob : r.rule().knobs()) {
                Capability c = r.caps().get(knob);
                if (c.fidelity() == Fidelity.APPROXIMATE) {
                    bounds.add(knob.optionName() + " within " + KitTime.show(c.bound()) + ": " + c.note());
                }
            }
        }
        record(ctx, bounds.isEmpty() ? Outcome.PASS : Outcome.BOUND, String.join("; ", bounds));
    }

    @Override
    public void testAborted(ExtensionContext ctx, Throwable cause) {
        Running r = running(ctx);
        if (r != null && !r.recorded().get()) {
            record(ctx, Outcome.SKIPPED, cause == null ? "" : String.valueOf(cause.getMessage()));
        }
    }

    @Override
    public void testFailed(ExtensionContext ctx, Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
        // The first line is the kit's header; the rest, up to "If this fails", is what was found.
        String[] lines = message.split("\n");
        StringBuilder found = new StringBuilder();
        for (int i = lines.length > 1 ? 1 : 0; i < lines.length && !lines[i].startsWith("If this fails"); i++) {
            found.append(lines[i].strip()).append(' ');
        }
        String text = found.toString().strip();
        record(ctx, Outcome.FAIL, text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }

    private static void record(ExtensionContext ctx, Outcome outcome, String detail) {
        Running r = running(ctx);
        if (r == null) {
            return;
        }
        r.recorded().set(true);
        Store top = topLevel(ctx).getStore(NS);
        FidelityReport report = top.getOrComputeIfAbsent(REPORT, k -> new FidelityReport(r.backend()),
                FidelityReport.class);
        report.add(new FidelityReport.Entry(r.rule().id(), r.name(), r.target(), outcome, detail));
    }

    // ---- the report, once per contract class

    @Override
    public void afterAll(ExtensionContext ctx) {
        if (ctx.getRequiredTestClass().isAnnotationPresent(Nested.class)) {
            return;
        }
        FidelityReport report = ctx.getStore(NS).get(REPORT, FidelityReport.class);
        if (report == null || !flag(ctx, "athanor.testkit.report", true)) {
            return;
        }
        Path dir = Path.of(param(ctx, "athanor.testkit.reportDir").orElse("target/athanor-fidelity"));
        Path earlier = dir.resolve(report.backend() + ".tsv");
        if (flag(ctx, "athanor.testkit.reportMerge", false) && Files.isRegularFile(earlier)) {
            FidelityReport merged = FidelityReport.read(earlier);
            merged.merge(report);
            merged.write(dir);
        } else {
            report.write(dir);
        }
        Optional<String> committedDir = param(ctx, "athanor.testkit.fidelityDir");
        if (committedDir.isEmpty() || !flag(ctx, "athanor.testkit.fidelityCheck", true)) {
            return;
        }
        Path committed = Path.of(committedDir.get()).resolve(report.backend() + ".tsv");
        if (!Files.isRegularFile(committed)) {
            throw new AssertionError("the README's fidelity table has no committed results for backend '"
                    + report.backend() + "' (" + committed + " is missing); this run's are in " + dir.toAbsolutePath()
                    + ". Regenerate the table: " + FidelityTable.REGENERATE);
        }
        List<String> diffs = report.differencesFrom(FidelityReport.read(committed));
        if (!diffs.isEmpty()) {
            throw new AssertionError("the README's fidelity table is stale for backend '" + report.backend()
                    + "': this run disagrees with " + committed + ":\n  " + String.join("\n  ", diffs)
                    + "\nRegenerate the table: " + FidelityTable.REGENERATE);
        }
    }

    // ---- context helpers

    private static ContractRule ruleOf(ExtensionContext ctx) {
        Optional<Method> m = ctx.getTestMethod();
        return m.map(method -> method.getAnnotation(ContractRule.class)).orElse(null);
    }

    private static void remember(ExtensionContext ctx, Running running) {
        topLevel(ctx).getStore(NS).put(RULE + ctx.getUniqueId(), running);
    }

    private static Running running(ExtensionContext ctx) {
        return topLevel(ctx).getStore(NS).get(RULE + ctx.getUniqueId(), Running.class);
    }

    private static String ruleName(ExtensionContext ctx) {
        String display = ctx.getDisplayName();
        int colon = display.indexOf(": ");
        return colon < 0 ? display : display.substring(colon + 2);
    }

    private static PoolBackendContract contractOf(ExtensionContext ctx) {
        Object outer = ctx.getRequiredTestInstances().getAllInstances().get(0);
        if (!(outer instanceof PoolBackendContract)) {
            throw new AssertionError("kit rules run only inside a subclass of PoolBackendContract, found "
                    + outer.getClass().getName());
        }
        return (PoolBackendContract) outer;
    }

    /** The context of the adapter author's class, which outlives every nested group. */
    private static ExtensionContext topLevel(ExtensionContext ctx) {
        ExtensionContext c = ctx;
        while (c.getTestClass().map(k -> k.isAnnotationPresent(Nested.class)).orElse(true)
                || c.getTestMethod().isPresent()) {
            c = c.getParent().orElseThrow(() -> new IllegalStateException("no contract class above " + ctx));
        }
        return c;
    }

    private static Optional<String> param(ExtensionContext ctx, String key) {
        return ctx.getConfigurationParameter(key).filter(v -> !v.isBlank());
    }

    private static boolean flag(ExtensionContext ctx, String key, boolean dflt) {
        return param(ctx, key).map(Boolean::parseBoolean).orElse(dflt);
    }
}
