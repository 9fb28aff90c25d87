package dev.athanor.spi;

import dev.athanor.internal.Arguments;

import java.time.Duration;

/**
 * What a backend promises for one {@link Knob}: {@linkplain Fidelity#EXACT exact}, {@linkplain Fidelity#APPROXIMATE
 * approximate} within a stated bound, or {@linkplain Fidelity#UNSUPPORTED unsupported} with the reason.
 *
 * <p>{@code Capability.approximate("extra idle connections close within 2 s", Duration.ofSeconds(2))}
 */
public final class Capability {
    private static final Capability EXACT = new Capability(Fidelity.EXACT, "exact", null);

    private final Fidelity fidelity;
    private final String note;
    private final Duration bound;

    private Capability(Fidelity fidelity, String note, Duration bound) {
        this.fidelity = fidelity;
        this.note = note;
        this.bound = bound;
    }

    /** The rule holds exactly. */
    public static Capability exact() {
        return EXACT;
    }

    /**
     * The rule holds within {@code bound}, which the contract test kit checks; {@code note} says what the bound
     * means in words for the README's fidelity table.
     */
    public static Capability approximate(String note, Duration bound) {
        Arguments.notNull(note, "note");
        Arguments.notNull(bound, "bound");
        return new Capability(Fidelity.APPROXIMATE, note, bound);
    }

    /** The backend cannot honour the knob; {@code reason} is shown to a user who sets it. */
    public static Capability unsupported(String reason) {
        Arguments.notNull(reason, "reason");
        return new Capability(Fidelity.UNSUPPORTED, reason, null);
    }

    public Fidelity fidelity() {
        return fidelity;
    }

    /** "exact", the approximate bound in words, or the reason it is unsupported. */
    public String note() {
        return note;
    }

    /** The bound of an approximate rule; {@code null} otherwise. */
    public Duration bound() {
        return bound;
    }

    @Override
    public String toString() {
        return fidelity == Fidelity.EXACT ? "EXACT" : fidelity + " (" + note + ")";
    }
}
