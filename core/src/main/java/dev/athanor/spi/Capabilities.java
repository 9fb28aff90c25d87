package dev.athanor.spi;

import dev.athanor.internal.Arguments;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A backend's declared {@link Capability} for each {@link Knob}. A complete declaration covers every knob; the
 * contract test kit fails a backend whose declaration is incomplete.
 *
 * <pre>{@code
 * Capabilities caps = Capabilities.builder()
 *         .allExact()
 *         .set(Knob.USE_LIFO, Capability.unsupported("c3p0 always reuses the most recently returned connection"))
 *         .build();
 * }</pre>
 */
public final class Capabilities {
    private final Map<Knob, Capability> byKnob;

    private Capabilities(Map<Knob, Capability> byKnob) {
        this.byKnob = Collections.unmodifiableMap(new EnumMap<>(byKnob));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The declaration for {@code knob}; {@code null} when the backend did not declare it. */
    public Capability get(Knob knob) {
        return byKnob.get(knob);
    }

    /** Knobs with no declaration. */
    public Set<Knob> undeclared() {
        EnumSet<Knob> missing = EnumSet.allOf(Knob.class);
        missing.removeAll(byKnob.keySet());
        return missing;
    }

    public Map<Knob, Capability> asMap() {
        return byKnob;
    }

    @Override
    public String toString() {
        return byKnob.toString();
    }

    /** Builds a {@link Capabilities}. */
    public static final class Builder {
        private final Map<Knob, Capability> byKnob = new EnumMap<>(Knob.class);

        private Builder() {
        }

        /** Declares every knob {@link Capability#exact() exact}; follow with {@link #set} for the exceptions. */
        public Builder allExact() {
            for (Knob k : Knob.values()) {
                byKnob.put(k, Capability.exact());
            }
            return this;
        }

        /** Declares how the pool honours {@code knob}. */
        public Builder set(Knob knob, Capability capability) {
            byKnob.put(Arguments.notNull(knob, "knob"), Arguments.notNull(capability, "capability"));
            return this;
        }

        public Capabilities build() {
            return new Capabilities(byKnob);
        }
    }
}
