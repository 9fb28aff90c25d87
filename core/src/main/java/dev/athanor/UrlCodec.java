package dev.athanor;

import dev.athanor.internal.Texts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Text-level helpers for {@link Url} and {@link UrlParser}: masking secrets, percent-encoding, escaping for
 * messages. Nothing here throws anything but {@link IllegalArgumentException}, whose messages never quote input.
 */
final class UrlCodec {
    static final String MASK = "***";
    private static final String HEX = "0123456789ABCDEF";

    private static final String[] SECRET_KEY_SUFFIXES = {"password", "passwd", "pwd", "secret"};
    private static final String KEY_DELIMITERS = "?&;/:@,= \t";
    /**
     * How much of a key's end decides whether it names a secret: the longest suffix ("password") fully
     * percent-encoded is 24 characters; more is margin.
     */
    private static final int MAX_KEY_TAIL = 40;

    private UrlCodec() {
    }

    /** {@code s} with every range of {@link #secretRanges} replaced by {@code ***}. */
    static String mask(String s) {
        return applyMask(s, secretRanges(s));
    }

    /**
     * Ranges {@code [start, end)} of {@code s} that may hold a secret, found without parsing so that they work on
     * any input:
     * <ul>
     *   <li>the user-info password: from the first ':' after the first "://" (after the start of the text when
     *       the first '@' comes before any "://") to the <em>last</em> '@'; for Oracle's
     *       {@code jdbc:oracle:thin:user/password@...} everything between the driver type and the last '@';</li>
     *   <li>the value, up to '&' or ';', of every {@code key=} whose key ends in a password-like word.</li>
     * </ul>
     * This over-masks odd URLs but never misses a password written in user-info position.
     */
    static List<int[]> secretRanges(String s) {
        List<int[]> ranges = new ArrayList<>();
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            int start = oracleUserStart(s);
            if (start < 0 || start > at) {
                int sep = s.indexOf("://");
                int base = sep >= 0 && sep < s.indexOf('@') ? sep + 3 : 0;
                int colon = indexOf(s, ':', base, at);
                start = colon < 0 ? at : colon + 1;
            }
            if (start < at) {
                ranges.add(new int[] {start, at});
            }
        }
        // One pass, so that the time stays linear in the length of the text whatever it holds ("a=a=a=...",
        // "password=password=..." once took seconds per 100 KB): the key of an '=' starts after the last delimiter,
        // and a value ends at the first '&' or ';' after it, which every '=' before that stop shares.
        int keyStart = 0;
        int valueEnd = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=') {
                if (KEY_DELIMITERS.indexOf(c) >= 0) {
                    keyStart = i + 1;
                }
                continue;
            }
            if (isSecretKey(s, Math.max(keyStart, i - MAX_KEY_TAIL), i)) {
                if (valueEnd <= i) {
                    valueEnd = i + 1;
                    while (valueEnd < s.length() && s.charAt(valueEnd) != '&' && s.charAt(valueEnd) != ';') {
                        valueEnd++;
                    }
                }
                ranges.add(new int[] {i + 1, valueEnd});
            }
        }
        return merged(ranges);
    }

    /** {@code ranges} sorted, with overlapping or touching ones joined: few ranges, however many matches. */
    private static List<int[]> merged(List<int[]> ranges) {
        if (ranges.size() < 2) {
            return ranges;
        }
        ranges.sort(Comparator.comparingInt((int[] r) -> r[0]));
        List<int[]> out = new ArrayList<>();
        int[] last = null;
        for (int[] r : ranges) {
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                last = new int[] {r[0], r[1]};
                out.add(last);
            }
        }
        return out;
    }

    // "jdbc:oracle:thin:" (or oci:, kprb:, ...): the end of that prefix, else -1.
    private static int oracleUserStart(String s) {
        if (!s.regionMatches(true, 0, "jdbc:oracle:", 0, 12)) {
            return -1;
        }
        int i = 12;
        while (i < s.length() && isAsciiLetterOrDigit(s.charAt(i))) {
            i++;
        }
        return i < s.length() && s.charAt(i) == ':' ? i + 1 : -1;
    }

    /** Replaces each range with {@code ***}; overlapping or touching ranges become one mask. */
    static String applyMask(String s, List<int[]> ranges) {
        if (ranges.isEmpty()) {
            return s;
        }
        ranges.sort(Comparator.comparingInt((int[] r) -> r[0]));
        StringBuilder out = new StringBuilder(s.length());
        int pos = -1;
        for (int[] r : ranges) {
            if (r[0] <= pos) {
                pos = Math.max(pos, r[1]);
                continue;
            }
            out.append(s, Math.max(pos, 0), r[0]).append(MASK);
            pos = r[1];
        }
        return out.append(s, pos, s.length()).toString();
    }

    private static boolean isSecretKey(String s, int from, int to) {
        if (indexOf(s, '%', from, to) < 0) {
            for (String suffix : SECRET_KEY_SUFFIXES) {
                if (to - from >= suffix.length() && s.regionMatches(true, to - suffix.length(), suffix, 0,
                        suffix.length())) {
                    return true;
                }
            }
            return false;
        }
        String key = lenientDecode(s.substring(from, to)).toLowerCase(Locale.ROOT);
        for (String suffix : SECRET_KEY_SUFFIXES) {
            if (key.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    // Decodes %XX escapes of ASCII characters and leaves everything else alone: enough to see "pass%77ord".
    private static String lenientDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                int value = hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2));
                if (value < 0x80) {
                    out.append((char) value);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Percent-decodes {@code s[from, to)} as UTF-8; {@code +} stays a plus.
     *
     * @throws IllegalArgumentException naming the problem (never the text) on a bad escape or invalid UTF-8
     */
    static String decode(String s, int from, int to) {
        if (indexOf(s, '%', from, to) < 0) {
            return s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        ByteBuffer bytes = ByteBuffer.allocate((to - from) / 3 + 1);
        int i = from;
        while (i < to) {
            if (s.charAt(i) != '%') {
                out.append(s.charAt(i++));
                continue;
            }
            bytes.clear();
            while (i < to && s.charAt(i) == '%') {
                if (i + 2 >= to || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    throw new IllegalArgumentException(
                            "has an invalid percent escape; expected %XX with two hex digits (write '%' as %25)");
                }
                bytes.put((byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2))));
                i += 3;
            }
            bytes.flip();
            try {
                out.append(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(bytes));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("is not valid UTF-8 once percent-decoded");
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes, as UTF-8, everything but RFC 3986 unreserved characters.
     *
     * @throws IllegalArgumentException when {@code s} holds an unpaired surrogate
     */
    static String encode(String s) {
        ByteBuffer bytes;
        try {
            bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not valid Unicode text (unpaired surrogate)");
        }
        StringBuilder out = new StringBuilder(bytes.remaining());
        while (bytes.hasRemaining()) {
            int b = bytes.get() & 0xFF;
            if (isAsciiLetterOrDigit(b) || b == '-' || b == '.' || b == '_' || b == '~') {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xF));
            }
        }
        return out.toString();
    }

    /** Makes control characters visible as backslash-u escapes, so that a message stays on one line. */
    static String escape(String s) {
        return Texts.escape(s);
    }

    /**
     * {@code s} escaped for a message and, when absurdly long, cut to about {@link Texts#MAX_QUOTED} characters
     * followed by {@code "… (N chars)"}: a message stays readable, and a 1 MB URL is not copied into every one.
     */
    static String quoted(String s) {
        return Texts.quoted(s);
    }

    /** The first index of {@code c} in {@code s[from, to)}, or -1: bounded, so that parsing stays linear. */
    static int indexOf(String s, char c, int from, int to) {
        for (int i = Math.max(from, 0); i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    static boolean isAsciiLetterOrDigit(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
