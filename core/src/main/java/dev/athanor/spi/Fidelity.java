package dev.athanor.spi;

/** How faithfully a backend honours a {@link Knob}. */
public enum Fidelity {
    /** The rule in semantics.md holds exactly. */
    EXACT,
    /** The rule holds within a documented bound (for example "extra idle connections close within 2 s"). */
    APPROXIMATE,
    /** The backend cannot honour the knob: setting it explicitly is refused when the engine is built. */
    UNSUPPORTED
}
