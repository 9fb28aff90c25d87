package dev.athanor.testkit;

import dev.athanor.spi.Capabilities;
import dev.athanor.spi.Capability;
import dev.athanor.spi.Fidelity;
import dev.athanor.spi.Knob;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Runs around every rule of {@link SessionContract}: checks the kit's setup (the provider is found and declares every
 * knob), skips a rule whose knob the backend declares UNSUPPORTED (with the backend's reason) and prefixes every
 * failure with the rule, where it ran and what to check. Unlike {@link ContractExtension} it records no fidelity
 * report.
 */
final class SessionRuleExtension implements BeforeEachCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    @Override
    public void beforeEach(ExtensionContext ctx) {
        ContractRule rule = ruleOf(ctx);
        SessionRuleGroup group = groupOf(ctx);
        if (rule == null || group == null) {
            return;
        }
        String backend = group.backend();
        String problem = KitProviders.setupProblem(backend);
        if (problem != null) {
            throw new AssertionError("[" + rule.id() + "] the kit's setup check failed, so this rule cannot run: "
                    + problem);
        }
        Capabilities caps = KitProviders.require(backend).capabilities();
        List<String> reasons = new ArrayList<>();
        for (Knob knob : rule.knobs()) {
            Capability c = caps.get(knob);
            if (c.fidelity() == Fidelity.UNSUPPORTED) {
                reasons.add(knob.optionName() + ": " + c.note());
            }
        }
        if (!reasons.isEmpty()) {
            Assumptions.abort("UNSUPPORTED by '" + backend + "' — " + String.join("; ", reasons));
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

    /** The failure with the rule id, the rule's sentence, the backend and database, and what to check. */
    private static Throwable explain(ExtensionContext ctx, Throwable t) {
        ContractRule rule = ruleOf(ctx);
        SessionRuleGroup group = groupOf(ctx);
        if (rule == null || group == null || t instanceof TestAbortedException
                || t.getMessage() != null && t.getMessage().startsWith("[" + rule.id() + "]")) {
            return t;
        }
        String display = ctx.getDisplayName();
        String name = display.substring(display.indexOf(": ") + 2);
        String message = "[" + rule.id() + "] " + name + " — failed for backend '" + group.backend() + "' on "
                + group.target().label() + ":\n" + (t.getMessage() != null ? t.getMessage() : t.toString())
                + "\nIf this fails, check " + rule.check();
        AssertionError e = new AssertionError(message, t);
        e.setStackTrace(t.getStackTrace());
        return e;
    }

    private static ContractRule ruleOf(ExtensionContext ctx) {
        return ctx.getTestMethod().map(m -> m.getAnnotation(ContractRule.class)).orElse(null);
    }

    private static SessionRuleGroup groupOf(ExtensionContext ctx) {
        return ctx.getTestInstance().filter(SessionRuleGroup.class::isInstance).map(SessionRuleGroup.class::cast)
                .orElse(null);
    }
}
