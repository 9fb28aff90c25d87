package dev.athanor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the three URL forms {@link Url} accepts. One instance per parse; the fields are the result, read by the
 * {@link Url} constructor.
 *
 * <p>Every failure is a {@link ConfigurationException} whose message quotes the URL through {@link Url#mask}, and
 * quotes a part of the URL only when that part lies outside every range the mask would hide, so a password never
 * reaches a message even when the malformation is in the password itself.
 */
final class UrlParser {
    private static final String VALID_DIALECTS = "postgresql, mysql, mariadb, h2, sqlite, or a raw jdbc: URL";
    private static final String FORMS = "dialect://[user[:password]@]host[:port][,host[:port]...]/database, "
            + "h2:mem:NAME, "
            + "h2:file:PATH or a raw jdbc: URL";

    final String text;
    Url.Form form;
    Dialect dialect;
    String dialectName;
    String driver;
    String username;
    String password;
    String host;
    int port = -1;
    /** Every host of the authority, in the order written (one for a single host). */
    final List<Url.Host> hosts = new ArrayList<>(1);
    String haMode;
    String database;
    final Map<String, String> query = new LinkedHashMap<>();
    String jdbcUrl;
    // Positions in text, used to mask the password exactly and to splice a new one in.
    int passwordStart = -1;
    int passwordEnd = -1;
    int passwordParamStart = -1;
    int passwordParamEnd = -1;
    int userEnd = -1;
    int queryStart = -1;
    private boolean userInQuery;
    private List<int[]> secretRanges;

    private UrlParser(String text) {
        this.text = text;
    }

    static Url parse(String input) {
        if (input == null) {
            throw new ConfigurationException("database URL must not be null");
        }
        return new Url(parseToParser(input));
    }

    static UrlParser parseToParser(String input) {
        String text = input.strip();
        if (text.isEmpty()) {
            throw new ConfigurationException("Invalid database URL '" + UrlCodec.quoted(input) + "': the URL is "
                    + (input.isEmpty() ? "empty" : "blank (whitespace only)") + "; expected " + FORMS);
        }
        UrlParser p = new UrlParser(text);
        try {
            p.parseAll();
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug, not a bad URL. The original exception is dropped on purpose: its message may quote the input.
            throw p.failure("unexpected parser failure (" + e.getClass().getName() + ")");
        }
        return p;
    }

    private void parseAll() {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw failure(String.format(Locale.ROOT, "the URL contains a control character (U+%04X) at index %d",
                        (int) text.charAt(i), i));
            }
        }
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            parseRawJdbc();
            return;
        }
        int sep = text.indexOf("://");
        int colon = text.indexOf(':');
        if (colon == 2 && colon != sep && text.regionMatches(true, 0, "h2", 0, 2)) {
            parseH2Shorthand();
            return;
        }
        if (sep < 0 || colon < sep) {
            throw missingSeparator(colon);
        }
        parseScheme(sep);
        if (dialect == Dialect.SQLITE) {
            parseSqlite(sep + 3);
        } else {
            parseServer(sep + 3);
        }
    }

    private ConfigurationException missingSeparator(int colon) {
        if (colon < 0) {
            return failure("expected " + FORMS);
        }
        String prefix = text.substring(0, colon);
        int plus = prefix.indexOf('+');
        Dialect d = Dialect.lookup(plus < 0 ? prefix : prefix.substring(0, plus));
        if (d != null && d != Dialect.GENERIC) {
            String hint = d == Dialect.SQLITE ? " (sqlite:///relative.db, sqlite:////absolute/path.db)"
                    : d == Dialect.H2 ? " (or h2:mem:NAME, h2:file:PATH)" : "";
            return failure("expected '://' after" + shown(0, colon) + hint);
        }
        return unknownDialect(0, colon);
    }

    private ConfigurationException unknownDialect(int from, int to) {
        String name = text.substring(from, to);
        String hint = name.equalsIgnoreCase("postgres") ? " (did you mean postgresql?)" : "";
        return failure("unknown dialect" + shown(from, to) + hint + "; valid: " + VALID_DIALECTS);
    }

    private void parseScheme(int sep) {
        if (sep == 0) {
            throw failure("the dialect before '://' is missing; valid: " + VALID_DIALECTS);
        }
        int plus = text.indexOf('+');
        int dialectEnd = plus >= 0 && plus < sep ? plus : sep;
        dialect = Dialect.lookup(text.substring(0, dialectEnd));
        if (dialect == null || dialect == Dialect.GENERIC) {
            throw unknownDialect(0, dialectEnd);
        }
        form = Url.Form.DIALECT;
        dialectName = dialect.id();
        if (dialectEnd < sep) {
            driver = text.substring(dialectEnd + 1, sep).toLowerCase(Locale.ROOT);
            List<String> valid = switch (dialect) {
                case MYSQL -> List.of("mysql", "mariadb");
                case MARIADB -> List.of("mariadb", "mysql");
                default -> List.of(dialect.id());
            };
            if (!valid.contains(driver)) {
                throw failure((driver.isEmpty() ? "the driver after '+' is empty" : "unknown driver"
                        + shown(dialectEnd + 1, sep) + " for dialect " + dialect.id()) + "; valid: "
                        + String.join(", ", valid) + " (the driver names the JDBC sub-protocol)");
            }
        }
    }

    private void parseServer(int start) {
        int n = text.length();
        int at = text.lastIndexOf('@');
        int hostStart = start;
        int colon = at >= start ? indexOf(':', start, at) : -1;
        int nameEnd = colon >= 0 ? colon : at;
        // Everything before the last '@' is the user info, so that unencoded '@', '/', '?' in a password still
        // work; but a "user name" holding '/' or '?' means that '@' belongs to the path or the query.
        if (at >= start && indexOf('/', start, nameEnd) < 0 && indexOf('?', start, nameEnd) < 0) {
            userEnd = nameEnd;
            username = emptyToNull(decode(start, userEnd, "the user name"));
            if (userEnd < at) {
                passwordStart = userEnd + 1;
                passwordEnd = at;
                password = decode(passwordStart, passwordEnd, "the password");
            }
            hostStart = at + 1;
        }
        int authEnd = hostStart;
        while (authEnd < n && text.charAt(authEnd) != '/' && text.charAt(authEnd) != '?') {
            authEnd++;
        }
        parseHosts(hostStart, authEnd);
        if (authEnd < n && text.charAt(authEnd) == '/') {
            int q = text.indexOf('?', authEnd);
            int dbEnd = q < 0 ? n : q;
            database = authEnd + 1 < dbEnd ? text.substring(authEnd + 1, dbEnd) : null;
            queryStart = q;
        } else if (authEnd < n) {
            queryStart = authEnd;
        }
        if (queryStart >= 0) {
            parseQuery(queryStart + 1);
        }
        if (dialect == Dialect.H2) {
            if (database == null) {
                throw failure("an h2 server URL needs a database path, as in h2://localhost:9092/~/test "
                        + "(for an embedded database use h2:mem:NAME or h2:file:PATH)");
            }
            jdbcUrl = "jdbc:h2:tcp://" + hostInUrl(host) + (port > 0 ? ":" + port : "") + "/" + database;
        } else {
            String subprotocol = driver != null ? driver : dialect.id();
            haMode = HostList.haMode(this, subprotocol);
            StringBuilder authority = new StringBuilder();
            for (Url.Host h : hosts) {
                authority.append(authority.length() == 0 ? "" : ",").append(hostInUrl(h.name())).append(':')
                        .append(h.port() > 0 ? h.port() : dialect.defaultPort());
            }
            jdbcUrl = "jdbc:" + subprotocol + (haMode == null ? "" : ":" + haMode) + "://" + authority + "/"
                    + (database == null ? "" : database);
        }
    }

    private static String hostInUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** One host, or a comma-separated list of them for the dialects whose drivers take one (failover). */
    private void parseHosts(int from, int to) {
        List<int[]> parts = HostList.split(text, from, to);
        if (parts.size() > 1 && dialect == Dialect.H2) {
            throw failure("several hosts are supported for postgresql, mysql and mariadb only, not for h2");
        }
        for (int i = 0; i < parts.size(); i++) {
            int[] part = parts.get(i);
            if (parts.size() > 1 && part[0] == part[1]) {
                throw failure("host #" + (i + 1) + " of the host list is empty; expected host[:port],host[:port]...");
            }
            port = -1;
            parseHostAndPort(part[0], part[1]);
            hosts.add(new Url.Host(host, port));
        }
        host = hosts.get(0).name();
        port = hosts.get(0).port();
    }

    private void parseHostAndPort(int from, int to) {
        int portStart = -1;
        if (from < to && text.charAt(from) == '[') {
            int close = text.indexOf(']', from);
            if (close < 0 || close >= to) {
                throw failure("the IPv6 address after '[' has no closing ']'");
            }
            host = text.substring(from + 1, close);
            boolean ipv6 = host.indexOf(':') >= 0
                    && host.chars().allMatch(c -> UrlCodec.isAsciiLetterOrDigit(c) || c == ':' || c == '.' || c == '%');
            if (!ipv6) {
                throw failure("the host" + shown(from, close + 1) + " is not an IPv6 address");
            }
            if (close + 1 < to) {
                if (text.charAt(close + 1) != ':') {
                    throw failure("expected ':port', '/database' or '?' after the IPv6 address");
                }
                portStart = close + 2;
            }
        } else {
            int colon = indexOf(':', from, to);
            int hostEnd = colon >= 0 ? colon : to;
            for (int i = from; i < hostEnd; i++) {
                char c = text.charAt(i);
                if (!Character.isLetterOrDigit(c) && c != '.' && c != '-' && c != '_' && c != '~') {
                    boolean safe = !isSecret(from, hostEnd);
                    throw failure("the host" + shown(from, hostEnd) + " contains "
                            + (safe ? describe(c) : "a character") + " that is not allowed; a host is a name or "
                            + "IPv4 address (letters, digits, '.', '-', '_') or an IPv6 address in brackets");
                }
            }
            host = from == hostEnd ? "localhost" : text.substring(from, hostEnd);
            if (hostEnd < to) {
                portStart = hostEnd + 1;
            }
        }
        if (portStart >= 0) {
            port = parsePort(portStart, to);
        }
    }

    private int parsePort(int from, int to) {
        if (from == to) {
            throw failure("the port after ':' is empty; expected a number in 1..65535");
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw failure("the port" + shown(from, to) + " is not a number; expected 1..65535");
            }
        }
        int value = to - from > 5 ? Integer.MAX_VALUE : Integer.parseInt(text.substring(from, to));
        if (value < 1 || value > 65535) {
            throw failure("the port" + shown(from, to) + " is out of range; expected 1..65535");
        }
        return value;
    }

    private void parseQuery(int from) {
        int n = text.length();
        int index = 0;
        for (int s = from; s <= n; ) {
            int e = text.indexOf('&', s);
            if (e < 0) {
                e = n;
            }
            if (s < e) {
                index++;
                int eq = indexOf('=', s, e);
                int keyEnd = eq >= 0 ? eq : e;
                int valueStart = keyEnd < e ? keyEnd + 1 : e;
                String key = decode(s, keyEnd, "the name of query parameter #" + index);
                if (key.isEmpty()) {
                    throw failure("query parameter #" + index + " has an empty name; expected key=value");
                }
                String what = "the value of query parameter" + shown(s, keyEnd);
                String value = decode(valueStart, e, what);
                if (key.equals("user")) {
                    if (username != null || userInQuery) {
                        throw failure(userInQuery ? "query parameter 'user' is given twice"
                                : "user name given twice: in the user info and as query parameter 'user'");
                    }
                    userInQuery = true;
                    username = emptyToNull(value);
                } else if (key.equals("password")) {
                    if (password != null) {
                        throw failure(passwordParamStart >= 0 ? "query parameter 'password' is given twice"
                                : "password given twice: in the user info and as query parameter 'password'");
                    }
                    password = value;
                    passwordStart = valueStart;
                    passwordEnd = e;
                    passwordParamStart = s;
                    passwordParamEnd = e;
                } else if (query.putIfAbsent(key, value) != null) {
                    throw failure("query parameter" + shown(s, keyEnd) + " is given twice");
                }
            }
            s = e + 1;
        }
    }

    private void parseSqlite(int start) {
        int n = text.length();
        int q = text.indexOf('?', start);
        int pathEnd = q < 0 ? n : q;
        if (start < pathEnd && text.charAt(start) != '/') {
            throw failure("a sqlite URL has no host or user: write sqlite:///relative.db, "
                    + "sqlite:////absolute/path.db, or sqlite:// for an in-memory database");
        }
        String path = start < pathEnd ? text.substring(start + 1, pathEnd) : "";
        database = path.isEmpty() ? ":memory:" : path;
        jdbcUrl = "jdbc:sqlite:" + database;
        if (q >= 0) {
            queryStart = q;
            parseQuery(q + 1);
        }
    }

    private void parseH2Shorthand() {
        form = Url.Form.H2_SHORTHAND;
        dialect = Dialect.H2;
        dialectName = dialect.id();
        String kind;
        if (text.regionMatches(true, 3, "mem:", 0, 4)) {
            kind = "mem";
        } else if (text.regionMatches(true, 3, "file:", 0, 5)) {
            kind = "file";
        } else {
            throw failure("after 'h2:' expected mem:NAME, file:PATH or //host[:port]/database");
        }
        int n = text.length();
        int nameStart = 3 + kind.length() + 1;
        if (text.indexOf('?', nameStart) >= 0) {
            throw failure("H2 settings follow ';' (as in h2:mem:test;MODE=PostgreSQL), not '?'");
        }
        int semi = text.indexOf(';', nameStart);
        int nameEnd = semi < 0 ? n : semi;
        if (nameStart == nameEnd) {
            throw failure(kind.equals("mem")
                    ? "h2:mem: needs a database name, as in h2:mem:test (an unnamed in-memory database would be "
                            + "private to each connection)"
                    : "h2:file: needs a path, as in h2:file:./data/app");
        }
        database = text.substring(nameStart, nameEnd);
        StringBuilder jdbc = new StringBuilder("jdbc:h2:").append(kind).append(':').append(database);
        boolean closeDelayGiven = false;
        for (int s = nameEnd + 1; s <= n; ) {
            int e = text.indexOf(';', s);
            if (e < 0) {
                e = n;
            }
            if (s < e) {
                int eq = indexOf('=', s, e);
                if (eq <= s) {
                    throw failure("the H2 setting" + shown(s, e) + " is not KEY=VALUE");
                }
                closeDelayGiven |= text.substring(s, eq).strip().equalsIgnoreCase("DB_CLOSE_DELAY");
                jdbc.append(';').append(text, s, e);
            }
            s = e + 1;
        }
        if (kind.equals("mem") && !closeDelayGiven) {
            jdbc.append(";DB_CLOSE_DELAY=-1");
        }
        jdbcUrl = jdbc.toString();
    }

    private void parseRawJdbc() {
        form = Url.Form.RAW_JDBC;
        int colon = text.indexOf(':', 5);
        int subEnd = colon < 0 ? text.length() : colon;
        if (subEnd == 5) {
            throw failure("a jdbc: URL needs a sub-protocol, as in jdbc:postgresql://host/db");
        }
        for (int i = 5; i < subEnd; i++) {
            char c = text.charAt(i);
            if (!UrlCodec.isAsciiLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
                throw failure("the JDBC sub-protocol" + shown(5, subEnd)
                        + " may contain only letters, digits, '-', '_' and '.'");
            }
        }
        if (colon < 0) {
            throw failure("expected ':' after the JDBC sub-protocol" + shown(5, subEnd)
                    + ", as in jdbc:postgresql://host/db");
        }
        dialectName = text.substring(5, subEnd).toLowerCase(Locale.ROOT);
        dialect = Dialect.forJdbcSubprotocol(dialectName);
        jdbcUrl = text;
    }

    ConfigurationException failure(String detail) {
        return new ConfigurationException("Invalid database URL '" + UrlCodec.quoted(Url.mask(text)) + "': "
                + detail);
    }

    /** {@code " 'part'"} for {@code text[from, to)}, or {@code ""} when the part may hold a secret. */
    private String shown(int from, int to) {
        return isSecret(from, to) ? "" : " '" + UrlCodec.quoted(text.substring(from, to)) + "'";
    }

    private boolean isSecret(int from, int to) {
        if (secretRanges == null) {
            secretRanges = UrlCodec.secretRanges(text);
        }
        for (int[] r : secretRanges) {
            if (from < r[1] && r[0] < to) {
                return true;
            }
        }
        return passwordStart >= 0 && from < passwordEnd && passwordStart < to;
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    private int indexOf(char c, int from, int to) {
        return UrlCodec.indexOf(text, c, from, to);
    }

    /** Percent-decodes {@code text[from, to)}; {@code what} names the part in the error message. */
    private String decode(int from, int to, String what) {
        try {
            return UrlCodec.decode(text, from, to);
        } catch (IllegalArgumentException e) {
            throw failure(what + " " + e.getMessage());
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
