package dev.athanor.internal.sql;

import dev.athanor.StatementException;
import dev.athanor.internal.Texts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A SQL statement with {@code :name} binds, rewritten for JDBC: every bind becomes {@code ?} and the names are kept
 * in order so that {@link #bind(Map)} can turn a parameter map into positional values.
 *
 * <pre>{@code
 * NamedSql stmt = NamedSql.parse("INSERT INTO users (name, email) VALUES (:name, :email)");
 * stmt.jdbcSql();                                   // INSERT INTO users (name, email) VALUES (?, ?)
 * Object[] values = stmt.bind(Map.of("name", "ann", "email", "ann@example.com"));
 * }</pre>
 *
 * <p>The text is read by a single-pass lexer, so nothing inside a literal, quoted identifier, comment or dollar-quoted
 * body is ever taken for a bind. It understands:
 * <ul>
 *   <li>{@code :name} with {@code name} matching {@code [A-Za-z_][A-Za-z0-9_]*} (case-sensitive) is a bind, unless the
 *       colon directly follows an identifier character or digit (as in SQLAlchemy), so the PostgreSQL array slice
 *       {@code arr[lo:hi]} is left alone;</li>
 *   <li>two or more colons ({@code x::int}, {@code :a::int}) are a cast and {@code :=} an assignment, both left
 *       alone, as is a colon followed by anything but an identifier start ({@code arr[1:2]});</li>
 *   <li>{@code '...'} with {@code ''}, PostgreSQL {@code E'...'} with backslash escapes, {@code "..."} with
 *       {@code ""}, {@code `...`} with {@code ``};</li>
 *   <li>{@code -- ...} to the end of the line and {@code /* ... *}{@code /} comments, nested as PostgreSQL allows
 *       ({@code #} is not a comment: PostgreSQL uses it in operators);</li>
 *   <li>{@code $$...$$} and {@code $tag$...$tag$} dollar quotes ({@code $1} is a positional parameter);</li>
 *   <li>{@code ?} is left as is, but a statement may not mix it with {@code :name} binds; {@code ??} is the
 *       PostgreSQL JDBC driver's escape for a literal {@code ?} operator and does not count as a parameter.</li>
 * </ul>
 *
 * <p>Limitation: MySQL's default mode also treats a backslash as an escape inside {@code '...'}; the lexer does not
 * track the server's SQL mode and honours backslashes only in {@code E'...'}, so write {@code 'it''s'} rather than
 * {@code 'it\'s'}. Unterminated literals, identifiers and comments run to the end of the text; parsing never fails
 * on them (the database reports the syntax error).
 *
 * <p>Instances are immutable and thread-safe. {@link #parse(String)} caches results for up to
 * 2,048 distinct statements and then stops caching, so dynamically built SQL cannot grow it.
 */
public final class NamedSql {
    /** How many distinct statements {@link #parse(String)} remembers. */
    static final int CACHE_LIMIT = 2_048;

    private static final BoundedCache CACHE = new BoundedCache(CACHE_LIMIT);
    private static final String RETURNING = "RETURNING";
    private static final Set<String> QUERY_KEYWORDS = Set.of("SELECT", "WITH", "VALUES", "SHOW", "EXPLAIN", "TABLE");

    private final String sql;
    private final String jdbcSql;
    private final List<String> parameterOrder;
    private final Set<String> parameterNames;
    private final String firstKeyword;
    private final boolean returning;

    private NamedSql(String sql, String jdbcSql, List<String> parameterOrder, String firstKeyword,
                     boolean returning) {
        this.sql = sql;
        this.jdbcSql = jdbcSql;
        this.parameterOrder = List.copyOf(parameterOrder);
        this.parameterNames = Collections.unmodifiableSet(new LinkedHashSet<>(parameterOrder));
        this.firstKeyword = firstKeyword;
        this.returning = returning;
    }

    /**
     * Parses a statement, or returns the cached result of an earlier call with an equal string.
     *
     * @param sql the statement with {@code :name} binds
     * @return the parsed statement
     * @throws IllegalArgumentException when {@code sql} is {@code null}
     * @throws StatementException when the statement mixes {@code :name} binds and {@code ?} parameters
     */
    public static NamedSql parse(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        return CACHE.get(sql, NamedSql::parseUncached);
    }

    /** Parses without touching the cache (tests that feed many distinct strings use this). */
    static NamedSql parseUncached(String sql) {
        return new Lexer(sql).run();
    }

    /** Number of cached statements, for tests. */
    static int cacheSize() {
        return CACHE.size();
    }

    /** The statement as the caller wrote it. */
    public String sql() {
        return sql;
    }

    /** The statement for JDBC: the same text with every {@code :name} bind replaced by {@code ?}. */
    public String jdbcSql() {
        return jdbcSql;
    }

    /** Bind names in order of occurrence, repeats included: {@code :a, :b, :a} gives {@code [a, b, a]}. */
    public List<String> parameterOrder() {
        return parameterOrder;
    }

    /** Distinct bind names in order of first occurrence. */
    public Set<String> parameterNames() {
        return parameterNames;
    }

    /**
     * Whether the first keyword, after leading whitespace, comments and parentheses, is {@code INSERT}
     * (case-insensitive); callers use it to decide whether to ask the driver for generated keys.
     */
    public boolean isInsert() {
        return "INSERT".equals(firstKeyword);
    }

    /**
     * Whether the statement has a {@code RETURNING} clause (the keyword outside literals, identifiers and comments):
     * its rows come back as a result, so callers must not also ask for generated keys.
     */
    public boolean hasReturning() {
        return returning;
    }

    /**
     * Whether the first keyword is one of {@code SELECT}, {@code WITH}, {@code VALUES}, {@code SHOW}, {@code EXPLAIN}
     * or {@code TABLE}, that is whether the statement may return rows.
     */
    public boolean isQueryLike() {
        return QUERY_KEYWORDS.contains(firstKeyword);
    }

    /**
     * Turns a parameter map into the positional values for {@link #jdbcSql()}, one per entry of
     * {@link #parameterOrder()}. A key mapped to {@code null} binds SQL {@code NULL}.
     *
     * @param params values by bind name; {@code null} means no parameters
     * @return a new array of the values in parameter order
     * @throws StatementException naming every missing and every unknown parameter (never the values)
     */
    public Object[] bind(Map<String, ?> params) {
        Map<String, ?> given = params == null ? Map.of() : params;
        List<String> missing = parameterNames.stream().filter(name -> !given.containsKey(name))
                .collect(Collectors.toList());
        // Escaped: a key is caller data, and a newline in it would split the message (and a log line) in two.
        List<String> unknown = given.keySet().stream().filter(key -> !parameterNames.contains(key))
                .map(key -> Texts.quoted(String.valueOf(key))).sorted().collect(Collectors.toList());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw bindError(missing, unknown, given);
        }
        Object[] values = new Object[parameterOrder.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = given.get(parameterOrder.get(i));
        }
        return values;
    }

    private StatementException bindError(List<String> missing, List<String> unknown, Map<String, ?> given) {
        StringBuilder message = new StringBuilder();
        if (!missing.isEmpty()) {
            message.append("missing value for parameter(s) ").append(colonList(missing));
        }
        if (!unknown.isEmpty()) {
            message.append(missing.isEmpty() ? "" : " and ").append("unknown parameter(s) ").append(colonList(unknown));
        }
        message.append(" for statement: ").append(sql);
        if (!unknown.isEmpty()) {
            message.append("; the statement uses: ").append(parameterNames);
        }
        if (!missing.isEmpty()) {
            List<String> keys = given.keySet().stream().map(key -> Texts.quoted(String.valueOf(key))).sorted()
                    .collect(Collectors.toList());
            message.append("; given: ").append(keys);
        }
        return new StatementException(message.toString(), sql, List.copyOf(parameterNames), null);
    }

    private static String colonList(List<String> names) {
        return names.stream().map(name -> ":" + name).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "NamedSql[" + jdbcSql + ", parameters=" + parameterOrder + "]";
    }

    /** One pass over the text; copies it to {@code out}, replacing binds by {@code ?}. */
    private static final class Lexer {
        private final String sql;
        private final int length;
        private final StringBuilder out;
        private final List<String> names = new ArrayList<>();
        private int positional;
        /** A RETURNING keyword was seen outside literals and comments. */
        private boolean returning;
        /** Upper-cased first keyword; {@code null} while only whitespace, comments and parentheses were seen. */
        private String keyword;

        Lexer(String sql) {
            this.sql = sql;
            this.length = sql.length();
            this.out = new StringBuilder(length);
        }

        NamedSql run() {
            int i = 0;
            while (i < length) {
                i = token(i);
            }
            if (!names.isEmpty() && positional > 0) {
                throw new StatementException("statement mixes :name and ? parameters; use one style: " + sql,
                        sql, List.copyOf(new LinkedHashSet<>(names)), null);
            }
            return new NamedSql(sql, out.toString(), names, keyword == null ? "" : keyword, returning);
        }

        /** Lexes the token at {@code i} and returns the index after it. */
        private int token(int i) {
            char c = sql.charAt(i);
            char next = i + 1 < length ? sql.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                return copy(i, lineEnd(i + 2));
            }
            if (c == '/' && next == '*') {
                return copy(i, blockCommentEnd(i + 2));
            }
            if (keyword == null && !Character.isWhitespace(c) && c != '(') {
                keyword = isIdentStart(c) ? sql.substring(i, wordEnd(i)).toUpperCase(Locale.ROOT) : "";
            }
            switch (c) {
                case '\'':
                    return copy(i, quotedEnd(i + 1, '\'', isEscapeString(i)));
                case '"':
                case '`':
                    return copy(i, quotedEnd(i + 1, c, false));
                case '$':
                    return copy(i, dollarEnd(i));
                case ':':
                    return colon(i);
                case '?':
                    if (next == '?') {
                        return copy(i, i + 2);
                    }
                    positional++;
                    return copy(i, i + 1);
                default:
                    if (!isIdentStart(c)) {
                        return copy(i, i + 1);
                    }
                    // Whole words, so that '$' inside an identifier (a$b) never opens a dollar quote.
                    int end = wordEnd(i);
                    if (end - i == RETURNING.length() && sql.regionMatches(true, i, RETURNING, 0, end - i)) {
                        returning = true;
                    }
                    return copy(i, end);
            }
        }

        private int copy(int from, int to) {
            out.append(sql, from, to);
            return to;
        }

        private int colon(int i) {
            int run = i;
            while (run < length && sql.charAt(run) == ':') {
                run++;
            }
            if (run - i > 1) {
                return copy(i, run);                        // :: cast (or a longer run): never a bind
            }
            boolean afterWord = i > 0 && isIdentPart(sql.charAt(i - 1));
            if (afterWord || run >= length || !isBindStart(sql.charAt(run))) {
                return copy(i, i + 1);                      // :=, :1, arr[1:2], arr[lo:hi], a lone colon
            }
            int end = run + 1;
            while (end < length && isBindPart(sql.charAt(end))) {
                end++;
            }
            names.add(sql.substring(run, end));
            out.append('?');
            return end;
        }

        /** E'...' (PostgreSQL escape string): the quote directly follows a standalone E. */
        private boolean isEscapeString(int quote) {
            char e = quote > 0 ? sql.charAt(quote - 1) : '\0';
            return (e == 'E' || e == 'e') && (quote < 2 || !isIdentPart(sql.charAt(quote - 2)));
        }

        /** Index after the closing quote; doubled quotes escape, and backslashes too when asked. */
        private int quotedEnd(int i, char quote, boolean backslashEscapes) {
            while (i < length) {
                char c = sql.charAt(i);
                if (backslashEscapes && c == '\\') {
                    i = Math.min(i + 2, length);
                } else if (c == quote) {
                    if (i + 1 < length && sql.charAt(i + 1) == quote) {
                        i += 2;
                    } else {
                        return i + 1;
                    }
                } else {
                    i++;
                }
            }
            return length;
        }

        private int lineEnd(int i) {
            while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                i++;
            }
            return i;
        }

        private int blockCommentEnd(int i) {
            int depth = 1;
            while (i < length) {
                char c = sql.charAt(i);
                char next = i + 1 < length ? sql.charAt(i + 1) : '\0';
                if (c == '/' && next == '*') {
                    depth++;
                    i += 2;
                } else if (c == '*' && next == '/') {
                    i += 2;
                    if (--depth == 0) {
                        return i;
                    }
                } else {
                    i++;
                }
            }
            return length;
        }

        /** At a '$': the end of a dollar-quoted body, or just past the '$' when it does not open one. */
        private int dollarEnd(int i) {
            if (i > 0 && isIdentPart(sql.charAt(i - 1))) {
                return i + 1;
            }
            int tagEnd = i + 1;
            if (tagEnd < length && isIdentStart(sql.charAt(tagEnd))) {
                while (tagEnd < length && isIdentPart(sql.charAt(tagEnd)) && sql.charAt(tagEnd) != '$') {
                    tagEnd++;
                }
            }
            if (tagEnd >= length || sql.charAt(tagEnd) != '$') {
                return i + 1;                               // $1 positional, or a lone '$'
            }
            String delimiter = sql.substring(i, tagEnd + 1);
            int close = sql.indexOf(delimiter, tagEnd + 1);
            return close < 0 ? length : close + delimiter.length();
        }

        private int wordEnd(int i) {
            int end = i + 1;
            while (end < length && isIdentPart(sql.charAt(end))) {
                end++;
            }
            return end;
        }

        private static boolean isIdentStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isIdentPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        private static boolean isBindStart(char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        }

        private static boolean isBindPart(char c) {
            return isBindStart(c) || (c >= '0' && c <= '9');
        }
    }

    /** Remembers up to {@code limit} statements, then stops adding: never evicts, never grows past the limit. */
    static final class BoundedCache {
        private final ConcurrentHashMap<String, NamedSql> entries = new ConcurrentHashMap<>();
        // Slots are reserved before inserting so that racing threads cannot overshoot the limit.
        private final AtomicInteger reserved = new AtomicInteger();
        private final int limit;

        BoundedCache(int limit) {
            this.limit = limit;
        }

        NamedSql get(String sql, Function<String, NamedSql> parser) {
            NamedSql cached = entries.get(sql);
            if (cached != null) {
                return cached;
            }
            NamedSql parsed = parser.apply(sql);
            if (reserved.get() >= limit) {
                return parsed;
            }
            if (reserved.incrementAndGet() > limit) {
                reserved.decrementAndGet();
                return parsed;
            }
            NamedSql raced = entries.putIfAbsent(sql, parsed);
            if (raced != null) {
                reserved.decrementAndGet();
                return raced;
            }
            return parsed;
        }

        int size() {
            return entries.size();
        }
    }
}
