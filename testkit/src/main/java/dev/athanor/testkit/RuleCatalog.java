package dev.athanor.testkit;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** Every rule of the kit, read from the rule groups' annotations: id → sentence name. */
final class RuleCatalog {
    static final List<Class<?>> GROUPS = List.of(SetupRules.class, SizingRules.class, TimeoutRules.class,
            WaiterRules.class, StubWaiterRules.class,
            RecycleRules.class, PrePingRules.class, StubPrePingRules.class, ConnectFailureRules.class, ResetRules.class,
            StubResetRules.class, StatusEventRules.class, EventRules.class, DisposeRules.class, StubDisposeRules.class,
            ConcurrencyRules.class, LifoRules.class, LeakRules.class, HandleRules.class, LimitRules.class);

    private RuleCatalog() {
    }

    /**
     * Rule id → name, in report order. The rule methods are package-private (nobody opts out of one by overriding
     * it), so they are found the way JUnit finds them, through its public support API.
     */
    static Map<String, String> rules() {
        Map<String, String> rules = new TreeMap<>((a, b) -> RuleIds.sortKey(a).compareTo(RuleIds.sortKey(b)));
        for (Class<?> group : GROUPS) {
            for (Method m : AnnotationSupport.findAnnotatedMethods(group, ContractRule.class,
                    HierarchyTraversalMode.TOP_DOWN)) {
                if (m.getDeclaringClass() != group) {
                    continue; // a group extending another (StubPrePingRules) lists only its own rules
                }
                ContractRule rule = m.getAnnotation(ContractRule.class);
                DisplayName name = m.getAnnotation(DisplayName.class);
                String display = name == null ? m.getName() : name.value();
                String previous = rules.put(rule.id(), display.substring(display.indexOf(": ") + 2));
                if (previous != null) {
                    throw new IllegalStateException("rule id " + rule.id() + " is used twice");
                }
            }
        }
        return rules;
    }
}
