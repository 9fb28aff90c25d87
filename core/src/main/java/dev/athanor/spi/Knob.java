package dev.athanor.spi;

/** The pool settings whose meaning is fixed by Athanor and that every backend declares a {@link Capability} for. */
public enum Knob {
    POOL_SIZE("poolSize"),
    MAX_OVERFLOW("maxOverflow"),
    POOL_TIMEOUT("poolTimeout"),
    POOL_RECYCLE("poolRecycle"),
    PRE_PING("poolPrePing"),
    RESET_ON_RETURN("resetOnReturn"),
    USE_LIFO("useLifo");

    private final String optionName;

    Knob(String optionName) {
        this.optionName = optionName;
    }

    /** The engine option this knob is set with ({@code poolSize}, {@code poolPrePing}, …). */
    public String optionName() {
        return optionName;
    }
}
