package dev.athanor.internal;

/**
 * User-supplied text made safe to put in a message or a log line: control characters (NUL, newline...) shown as
 * backslash-u escapes, so that a message stays on one line and cannot forge another log line, and absurdly long text
 * cut short.
 */
public final class Texts {
    /** How much of a long value a message quotes. */
    public static final int MAX_QUOTED = 200;

    private Texts() {
    }

    /** Whether {@code s} holds a control character. */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} with control characters as backslash-u escapes; {@code "null"} for null. */
    public static String escape(String s) {
        return s == null ? "null" : escape(s, Integer.MAX_VALUE);
    }

    /**
     * {@code s} escaped and, when absurdly long, cut to about {@link #MAX_QUOTED} characters followed by
     * {@code "… (N chars)"}; {@code "null"} for null.
     */
    public static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        String out = escape(s, MAX_QUOTED);
        return out.length() < MAX_QUOTED ? out : out + "… (" + s.length() + " chars)";
    }

    /** {@link #escape(String)} until the output holds {@code max} characters (then it ends after a whole escape). */
    private static String escape(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) {
                    out.append(Character.forDigit(c >> shift & 0xF, 16));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
