package dev.athanor.schema;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Column defaults as SQL text in one canonical spelling, so that a default written in code and the same default read
 * back from a database compare equal. The rules are deliberately few (what the databases rewrite), and applied both
 * when a {@link Column} is defined and when one is reflected:
 * <ul>
 *   <li>{@code NULL} means "no default";</li>
 *   <li>redundant outer parentheses are removed;</li>
 *   <li>{@code now()}, {@code current_timestamp}, {@code current_timestamp()} and {@code current_timestamp(6)} are
 *       {@code CURRENT_TIMESTAMP}; {@code current_date} and {@code curdate()} are {@code CURRENT_DATE};</li>
 *   <li>on a boolean column {@code true}/{@code 1}/{@code 't'} are {@code TRUE} and {@code false}/{@code 0}/{@code 'f'}
 *       are {@code FALSE} (MariaDB stores booleans as numbers);</li>
 *   <li>on a numeric column a number, quoted or not, is written without trailing zeros ({@code '-1'} and
 *       {@code 1.50} become {@code -1} and {@code 1.5}).</li>
 * </ul>
 * Anything else (string literals, other expressions) is kept as written.
 */
final class Defaults {
    private static final Pattern NUMBER = Pattern.compile("'?([+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?)'?");
    private static final Pattern CURRENT_TIMESTAMP =
            Pattern.compile("(?i)now\\(\\)|current_timestamp(\\(\\d*\\))?");
    private static final Pattern CURRENT_DATE = Pattern.compile("(?i)current_date(\\(\\))?|curdate\\(\\)");

    private Defaults() {
    }

    /** The SQL literal for a Java value: a quoted string, a number, or {@code TRUE}/{@code FALSE}. */
    static String literal(Object value) {
        if (value instanceof CharSequence || value instanceof Character) {
            return "'" + value.toString().replace("'", "''") + "'";
        }
        if (value instanceof Boolean) {
            return ((Boolean) value) ? "TRUE" : "FALSE";
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return null;
            }
            return value.toString();
        }
        return null;
    }

    /**
     * The value of {@code sql} when it is one standard SQL string literal ({@code 'it''s'} is {@code it's}, a
     * backslash is just a backslash), else {@code null}. Dialects whose own literals differ from the standard rewrite
     * such a default through this.
     */
    static String stringValue(String sql) {
        if (sql == null) {
            return null;
        }
        // A loop, not a regex: an alternation over a long literal overflows the regex engine's stack.
        int n = sql.length();
        if (n < 2 || sql.charAt(0) != '\'' || sql.charAt(n - 1) != '\'') {
            return null;
        }
        StringBuilder value = new StringBuilder(n);
        for (int i = 1; i < n - 1; i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                if (i + 1 >= n - 1 || sql.charAt(i + 1) != '\'') {
                    return null;
                }
                i++;
            }
            value.append(c);
        }
        return value.toString();
    }

    /** The canonical spelling of {@code sql} as the default of a {@code type} column; {@code null} for none. */
    static String canonical(String sql, Type type) {
        if (sql == null) {
            return null;
        }
        String s = stripParentheses(sql.trim());
        if (s.isEmpty() || s.equalsIgnoreCase("NULL")) {
            return null;
        }
        if (CURRENT_TIMESTAMP.matcher(s).matches()) {
            return "CURRENT_TIMESTAMP";
        }
        if (CURRENT_DATE.matcher(s).matches()) {
            return "CURRENT_DATE";
        }
        if (type.kind() == Type.Kind.BOOLEAN) {
            String b = s.toLowerCase(Locale.ROOT);
            if (b.equals("true") || b.equals("1") || b.equals("'1'") || b.equals("'t'") || b.equals("'true'")) {
                return "TRUE";
            }
            if (b.equals("false") || b.equals("0") || b.equals("'0'") || b.equals("'f'") || b.equals("'false'")) {
                return "FALSE";
            }
        }
        if (type.isNumeric()) {
            var m = NUMBER.matcher(s);
            if (m.matches() && (s.charAt(0) == '\'') == (s.charAt(s.length() - 1) == '\'')) {
                BigDecimal n = new BigDecimal(m.group(1));
                return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
            }
        }
        return s;
    }

    /** Removes parentheses that wrap the whole expression: {@code ((0))} is {@code 0}, {@code (a)+(b)} stays. */
    static String stripParentheses(String s) {
        String out = s;
        while (out.length() >= 2 && out.charAt(0) == '(' && out.charAt(out.length() - 1) == ')'
                && closingParen(out) == out.length() - 1) {
            out = out.substring(1, out.length() - 1).trim();
        }
        return out;
    }

    private static int closingParen(String s) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
