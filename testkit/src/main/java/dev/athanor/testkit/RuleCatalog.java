package dev.athanor.testkit;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;

/** Every rule of the kit, read from the rule groups' annotations: id → sentence name. */
final class RuleCatalog {
    static final List<Class<?>> GROUPS = List.of(SetupRules.class, SizingRules.class, TimeoutRules.class,
            WaiterRules.class, StubWaiterRules.class,
            RecycleRules.class, PrePingRules.class, StubPrePingRules.class, ConnectFailureRules.class, ResetRules.class,
            StubResetRules.class, StatusEventRules.class, DisposeRules.class, StubDisposeRules.class,
            ConcurrencyRules.class, LifoRules.class, LeakRules.class, HandleRules.class, LimitRules.class);

    private RuleCatalog() {
    }

    /** Rule id → name, in report order. */
    static Map<String, String> rules() {
        Map<String, String> rules = new TreeMap<>((a, b) -> RuleIds.sortKey(a).compareTo(RuleIds.sortKey(b)));
        for (Class<?> group : GROUPS) {
            for (Method m : group.getDeclaredMethods()) {
                ContractRule rule = m.getAnnotation(ContractRule.class);
                DisplayName name = m.getAnnotation(DisplayName.class);
                if (rule != null) {
                    String display = name == null ? m.getName() : name.value();
                    String previous = rules.put(rule.id(), display.substring(display.indexOf(": ") + 2));
                    if (previous != null) {
                        throw new IllegalStateException("rule id " + rule.id() + " is used twice");
                    }
                }
            }
        }
        return rules;
    }
}
