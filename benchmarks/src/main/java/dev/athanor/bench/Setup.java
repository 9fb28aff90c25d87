package dev.athanor.bench;

import java.util.Locale;

/**
 * One measured configuration of the comparison.
 *
 * @param kind        Athanor over a backend, the raw native pool, or a dedicated connection per thread
 * @param backend     the backend ({@code null} for {@link Kind#DEDICATED})
 * @param poolSize    pool size (0 for dedicated)
 * @param maxOverflow overflow (0 for dedicated)
 * @param prePing     pre-ping at checkout
 */
public record Setup(Kind kind, String backend, int poolSize, int maxOverflow, boolean prePing) {

    /** What is measured. */
    public enum Kind {
        ATHANOR, RAW, DEDICATED
    }

    public static Setup athanor(String backend, int poolSize, int maxOverflow, boolean prePing) {
        return new Setup(Kind.ATHANOR, backend, poolSize, maxOverflow, prePing);
    }

    public static Setup raw(String backend, int poolSize, int maxOverflow, boolean prePing) {
        return new Setup(Kind.RAW, backend, poolSize, maxOverflow, prePing);
    }

    public static Setup dedicated() {
        return new Setup(Kind.DEDICATED, null, 0, 0, false);
    }

    public int maxConnections() {
        return poolSize + maxOverflow;
    }

    /** Pool sizing as shown on charts: {@code 4} or {@code 4+4}. */
    public String sizing() {
        return maxOverflow == 0 ? Integer.toString(poolSize) : poolSize + "+" + maxOverflow;
    }

    /** A one-line description: {@code hikari poolSize=4 maxOverflow=0 prePing=on}. */
    public String describe() {
        return switch (kind) {
            case DEDICATED -> "dedicated connection per thread (no pool)";
            case RAW -> "raw " + backend + " (no Athanor) poolSize=" + poolSize + " maxOverflow=" + maxOverflow
                    + " prePing=" + onOff(prePing);
            case ATHANOR -> backend + " poolSize=" + poolSize + " maxOverflow=" + maxOverflow + " prePing="
                    + onOff(prePing);
        };
    }

    static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    String kindLabel() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
