package dev.athanor.testkit;

import dev.athanor.spi.Knob;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Marks a kit test method as a rule: its stable id, the knobs whose declared capability decides whether it runs
 * (any {@code UNSUPPORTED} knob skips it with the backend's reason; an {@code APPROXIMATE} one makes it check the
 * declared bound) and what to check when it fails. The sentence name is the method's {@code @DisplayName}.
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.METHOD)
@interface ContractRule {
    /** Stable id, {@code GROUP-N}; never reused for a different rule. */
    String id();

    /** Knobs the rule is about; empty when every backend must honour it. */
    Knob[] knobs() default {};

    /** Completes "If this fails, check …" in the failure message. */
    String check();
}
