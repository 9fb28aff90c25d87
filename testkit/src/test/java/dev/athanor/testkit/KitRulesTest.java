package dev.athanor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The kit's own rules are well formed: ids unique and in the name, a check text, and no way to opt out. */
class KitRulesTest {

    private static List<Method> ruleMethods() {
        List<Method> methods = new ArrayList<>();
        for (Class<?> group : RuleCatalog.GROUPS) {
            for (Method m : group.getDeclaredMethods()) {
                if (m.isAnnotationPresent(ContractRule.class)) {
                    methods.add(m);
                }
            }
        }
        return methods;
    }

    @Test
    void everyRuleHasAStableIdItsSentenceNameAndWhatToCheck() {
        assertThat(ruleMethods()).hasSize(RuleCatalog.rules().size()).allSatisfy(m -> {
            ContractRule rule = m.getAnnotation(ContractRule.class);
            assertThat(rule.id()).matches("(" + String.join("|", RuleIds.GROUPS) + ")-\\d+");
            assertThat(m.getAnnotation(DisplayName.class).value()).startsWith(rule.id() + ": ");
            assertThat(rule.check()).isNotBlank();
        });
        assertThat(RuleCatalog.rules()).hasSize(63);
    }

    @Test
    void rulesArePackagePrivateSoNoAdapterCanOverrideOneAway() {
        assertThat(ruleMethods()).allSatisfy(m -> assertThat(Modifier.isPublic(m.getModifiers())
                || Modifier.isProtected(m.getModifiers()) || Modifier.isPrivate(m.getModifiers()))
                .as("%s must be package-private", m).isFalse());
        for (Class<?> group : RuleCatalog.GROUPS) {
            assertThat(Modifier.isPublic(group.getModifiers())).as("%s is public", group).isFalse();
        }
    }
}
