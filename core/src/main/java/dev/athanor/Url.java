package dev.athanor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A parsed database URL: which database family it names, how to reach it over JDBC, and the credentials and driver
 * properties to connect with. Immutable and thread-safe.
 *
 * <p>Three forms are accepted (see {@link #parse(String)}):
 * <ul>
 *   <li>SQLAlchemy-style {@code dialect[+driver]://[user[:password]@]host[:port][/database][?key=value&...]} for
 *       {@code postgresql}, {@code mysql}, {@code mariadb}, {@code h2} (a TCP server) and {@code sqlite};</li>
 *   <li>the H2 shorthands {@code h2:mem:NAME[;SETTING=VALUE...]} and {@code h2:file:PATH[;SETTING=VALUE...]};</li>
 *   <li>any raw {@code jdbc:} URL, passed to the driver unchanged.</li>
 * </ul>
 *
 * <p>Secrets: {@link #toString()} and every error message mask the password as {@code ***}
 * ({@code postgresql://scott:***@localhost:5432/test}); {@link #password()} and {@link #driverProperties()} are the
 * only places the password is handed out. The {@link #jdbcUrl()} of the {@code dialect://} form never carries
 * credentials (they travel as driver properties), but a raw {@code jdbc:} URL or an H2 shorthand is passed on as
 * written, so it carries whatever credentials were written into it.
 */
public final class Url {
    /** How the URL was written; decides how {@link #withPassword} changes it. */
    enum Form {
        /** {@code dialect[+driver]://...}: credentials are parsed out of the text. */
        DIALECT,
        /** {@code h2:mem:} / {@code h2:file:}. */
        H2_SHORTHAND,
        /** {@code jdbc:...}, passed through. */
        RAW_JDBC
    }

    private final String text;
    private final Form form;
    private final Dialect dialect;
    private final String dialectName;
    private final String driver;
    private final String username;
    private final String password;
    private final String host;
    private final int port;
    private final List<Host> hosts;
    private final String haMode;
    private final String database;
    private final Map<String, String> query;
    private final String jdbcUrl;
    // Where the parser found the password (DIALECT form only). Rendering masks this span on top of the text-only
    // heuristic of UrlCodec, which cannot know that "pass%77ord=" or an empty "scott:@" is a password.
    private final int passwordStart;
    private final int passwordEnd;

    Url(UrlParser p) {
        this.text = p.text;
        this.form = p.form;
        this.dialect = p.dialect;
        this.dialectName = p.dialectName;
        this.driver = p.driver;
        this.username = p.username;
        this.password = p.password;
        this.host = p.host;
        this.port = p.port;
        this.hosts = List.copyOf(p.hosts);
        this.haMode = p.haMode;
        this.database = p.database;
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(p.query));
        this.jdbcUrl = p.jdbcUrl;
        this.passwordStart = p.passwordStart;
        this.passwordEnd = p.passwordEnd;
    }

    private Url(Url base, String password) {
        this.text = base.text;
        this.form = base.form;
        this.dialect = base.dialect;
        this.dialectName = base.dialectName;
        this.driver = base.driver;
        this.username = base.username;
        this.password = password;
        this.host = base.host;
        this.port = base.port;
        this.hosts = base.hosts;
        this.haMode = base.haMode;
        this.database = base.database;
        this.query = base.query;
        this.jdbcUrl = base.jdbcUrl;
        this.passwordStart = -1;
        this.passwordEnd = -1;
    }

    /**
     * Parses a database URL. Surrounding whitespace is ignored.
     *
     * <pre>{@code
     * Url url = Url.parse("postgresql://scott:tiger@localhost:5432/test?sslmode=disable");
     * url.jdbcUrl();           // "jdbc:postgresql://localhost:5432/test"
     * url.driverProperties();  // {sslmode=disable, user=scott, password=tiger}
     * url.toString();          // "postgresql://scott:***@localhost:5432/test?sslmode=disable"
     *
     * Url.parse("h2:mem:demo").jdbcUrl();           // "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1"
     * Url.parse("sqlite:///data/app.db").jdbcUrl(); // "jdbc:sqlite:data/app.db"
     * }</pre>
     *
     * <p>The {@code dialect://} form:
     * <ul>
     *   <li>{@code dialect} is {@code postgresql}, {@code mysql}, {@code mariadb}, {@code h2} or {@code sqlite}
     *       (any case); the optional {@code +driver} picks the JDBC sub-protocol: {@code mysql+mariadb://} and
     *       {@code mariadb+mysql://} swap the MySQL and MariaDB drivers, otherwise it must equal the dialect.</li>
     *   <li>User name, password and query parameters are percent-decoded ({@code p%40ss} is {@code p@ss}; a
     *       {@code +} stays a plus). If the text after {@code ://} contains an {@code @}, everything before the
     *       <em>last</em> {@code @} is the user info, so a password may contain {@code @ / ? :} unencoded
     *       (unless the user name before the first {@code :} holds {@code /} or {@code ?}: then the {@code @}
     *       belongs to the path or query). Write an {@code @} in the database name or a query value as
     *       {@code %40} when the URL also has user info.</li>
     *   <li>The host may be a name, an IPv4 address or an IPv6 address in brackets ({@code [::1]}); an empty host
     *       means {@code localhost}. The port, when given, must be 1..65535; when absent the JDBC URL uses
     *       {@link Dialect#defaultPort()}.</li>
     *   <li>{@code postgresql}, {@code mysql} and {@code mariadb} take a comma-separated host list for failover
     *       ({@code postgresql://h1:5434,h2:5435/db?targetServerType=primary}), handed to the driver as its own
     *       host list. pgjdbc's {@code targetServerType} must be one of its values. MariaDB Connector/J needs
     *       {@code haMode=sequential} (the first host that answers, in order) or {@code haMode=loadbalance} (a
     *       random host per connection) with several hosts: {@code mariadb://h1:3307,h2:3308/db?haMode=sequential}
     *       becomes {@code jdbc:mariadb:sequential://h1:3307,h2:3308/db}.</li>
     *   <li>Query parameters become driver properties, except {@code user} and {@code password}, which are taken as
     *       the credentials when the user info does not already give them (giving one twice is an error).</li>
     *   <li>{@code sqlite:///relative.db}, {@code sqlite:////absolute/path.db}; {@code sqlite://} and
     *       {@code sqlite:///:memory:} are an in-memory database. {@code h2://host[:port]/path} is an H2 server
     *       ({@code jdbc:h2:tcp://...}).</li>
     * </ul>
     *
     * <p>{@code h2:mem:NAME} becomes {@code jdbc:h2:mem:NAME;DB_CLOSE_DELAY=-1}: the named in-memory database then
     * lives as long as the JVM, not only while a connection to it is open (H2's default), so a pool that closes its
     * last connection does not silently drop the schema. Give {@code ;DB_CLOSE_DELAY=...} yourself to override.
     * Other {@code ;KEY=VALUE} settings after the name or path are passed to H2 as written.
     *
     * <p>A raw {@code jdbc:} URL is used unchanged; its dialect comes from the sub-protocol ({@code jdbc:h2:...} is
     * {@link Dialect#H2}, an unknown one {@link Dialect#GENERIC}). Credentials inside it are not extracted
     * ({@link #username()} and {@link #password()} are {@code null}) but are masked when rendered.
     *
     * @throws ConfigurationException for {@code null} or any malformed URL, and for nothing else; the message quotes
     *     the URL with its password masked and names the part that is wrong and what is allowed there
     */
    public static Url parse(String url) {
        return UrlParser.parse(url);
    }

    /**
     * Masks every password-like part of a URL-ish string, whether or not it parses: the user-info password
     * ({@code ://user:***@host}, up to the last {@code @}), and the value of any parameter whose name ends in
     * {@code password}, {@code passwd}, {@code pwd} or {@code secret} ({@code ?password=***&ssl=true},
     * {@code ;PASSWORD=***}). Errs on the side of masking too much. Use it to show configuration values that may
     * not be valid URLs; {@code null} gives {@code "null"}.
     */
    public static String mask(String rawUrl) {
        if (rawUrl == null) {
            return "null";
        }
        return UrlCodec.mask(rawUrl);
    }

    /** The database family. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * The dialect as written, lower-cased: the part before {@code +} (or {@code ://}), {@code "h2"} for the
     * shorthands, the sub-protocol of a raw {@code jdbc:} URL ({@code "oracle"} for {@code jdbc:oracle:thin:...}).
     */
    public String dialectName() {
        return dialectName;
    }

    /** The driver named after {@code +} in {@code dialect+driver://}, lower-cased; empty when none was named. */
    public Optional<String> driver() {
        return Optional.ofNullable(driver);
    }

    /** The percent-decoded user name, or {@code null} (always {@code null} for raw {@code jdbc:} URLs). */
    public String username() {
        return username;
    }

    /**
     * The percent-decoded password, or {@code null}. Together with {@link #driverProperties()} this is the only
     * place the secret is exposed: {@link #toString()}, {@link #render(boolean) render(true)} and error messages
     * mask it. A raw {@code jdbc:} URL's embedded password is not extracted: this is {@code null} unless set with
     * {@link #withPassword(String)}.
     */
    public String password() {
        return password;
    }

    /**
     * The host without IPv6 brackets ({@code "::1"}); {@code "localhost"} when the URL left it empty;
     * {@code null} for the H2 shorthands, SQLite and raw {@code jdbc:} URLs.
     */
    public String host() {
        return host;
    }

    /** The port written in the URL, or {@code -1} when none was (the JDBC URL then uses the dialect's default). */
    public int port() {
        return port;
    }

    /**
     * Every host of a {@code dialect://} URL in the order written: one for a single host, several for a host list
     * ({@code postgresql://h1:5434,h2:5435/db}); empty for the H2 shorthands, SQLite and raw {@code jdbc:} URLs.
     * {@link #host()} and {@link #port()} are the first one's.
     */
    public List<Host> hosts() {
        return hosts;
    }

    /**
     * MariaDB Connector/J's HA mode from the {@code haMode} query parameter ({@code sequential} or
     * {@code loadbalance}), which becomes part of the JDBC URL ({@code jdbc:mariadb:sequential://...}) rather than a
     * driver property; empty when none was given.
     */
    public Optional<String> haMode() {
        return Optional.ofNullable(haMode);
    }

    /**
     * One host of a URL's host list.
     *
     * @param name the host name or address, IPv6 without brackets
     * @param port the port written, or {@code -1} for the dialect's default
     */
    public record Host(String name, int port) {
        @Override
        public String toString() {
            String shown = name.indexOf(':') >= 0 ? "[" + name + "]" : name;
            return port > 0 ? shown + ":" + port : shown;
        }
    }

    /**
     * The database as written (not percent-decoded: the driver does that): the path after the host, the H2
     * shorthand's name or path, the SQLite file or {@code ":memory:"}; {@code null} when absent and for raw
     * {@code jdbc:} URLs.
     */
    public String database() {
        return database;
    }

    /** The decoded query parameters other than the credentials, in the order written; unmodifiable. */
    public Map<String, String> query() {
        return query;
    }

    /**
     * The URL to hand to the JDBC driver. For the {@code dialect://} form it carries no credentials and no query
     * parameters (those are in {@link #driverProperties()}); a raw {@code jdbc:} URL is returned as given.
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * A fresh, modifiable copy of the properties to pass to the driver: every {@link #query()} parameter, plus
     * {@code user} and {@code password} when present. Contains the password in clear: never log it.
     */
    public Properties driverProperties() {
        Properties props = new Properties();
        query.forEach(props::setProperty);
        if (username != null) {
            props.setProperty("user", username);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** Whether this was a raw {@code jdbc:} URL. */
    public boolean isRawJdbc() {
        return form == Form.RAW_JDBC;
    }

    /**
     * This URL with another password ({@code null} removes it). For the {@code dialect://} form the text is
     * rewritten (the password percent-encoded where the old one was, else after the user name, else as a
     * {@code password} query parameter), so the result renders and compares like a parsed URL. For raw
     * {@code jdbc:} URLs and H2 shorthands the text is kept and the password only goes to
     * {@link #driverProperties()}.
     */
    public Url withPassword(String newPassword) {
        if (form == Form.DIALECT) {
            return parse(replacePassword(text, newPassword));
        }
        return new Url(this, newPassword);
    }

    /**
     * The URL as written (surrounding whitespace removed), with the password replaced by {@code ***} when
     * {@code hidePassword} is true. {@code render(false)} reveals the password: use it only to hand the URL to
     * something that needs it.
     */
    public String render(boolean hidePassword) {
        if (!hidePassword) {
            return text;
        }
        // The heuristic ranges too: a URL that parses may still hold a password where the parser saw none
        // ("postgresql://h/db?a=b:Sekr1t@x"), and masking a little too much beats showing it.
        List<int[]> ranges = UrlCodec.secretRanges(text);
        if (passwordStart >= 0) {
            ranges.add(new int[] {passwordStart, passwordEnd});
        }
        return UrlCodec.applyMask(text, ranges);
    }

    /** {@code render(true)}: the URL with its password masked, e.g. {@code postgresql://scott:***@host/db}. */
    @Override
    public String toString() {
        return render(true);
    }

    /**
     * Equal when parsed from the same text (after trimming) and carrying the same password (which differs only
     * after {@link #withPassword(String)} on a raw {@code jdbc:} URL or H2 shorthand).
     */
    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof Url other && text.equals(other.text) && Objects.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The text of a DIALECT-form URL with its password replaced ({@code null}: removed), percent-encoded. */
    private static String replacePassword(String text, String newPassword) {
        UrlParser p = UrlParser.parseToParser(text);
        String t = p.text;
        if (p.passwordStart >= 0) {
            if (newPassword != null) {
                return t.substring(0, p.passwordStart) + encodePassword(newPassword) + t.substring(p.passwordEnd);
            }
            if (p.passwordParamStart < 0) {
                return t.substring(0, p.passwordStart - 1) + t.substring(p.passwordEnd); // drop ":password"
            }
            int from = p.passwordParamStart;
            int to = p.passwordParamEnd;
            if (t.charAt(from - 1) == '&' || to == t.length()) {
                from--; // the '&' before it, or the '?' when it is the only parameter
            } else {
                to++; // the '&' after it
            }
            return t.substring(0, from) + t.substring(to);
        }
        if (newPassword == null) {
            return t;
        }
        if (p.userEnd >= 0) {
            return t.substring(0, p.userEnd) + ":" + encodePassword(newPassword) + t.substring(p.userEnd);
        }
        boolean emptyTail = p.queryStart == t.length() - 1 || t.endsWith("&");
        String separator = p.queryStart < 0 ? "?" : emptyTail ? "" : "&";
        return t + separator + "password=" + encodePassword(newPassword);
    }

    private static String encodePassword(String newPassword) {
        try {
            return UrlCodec.encode(newPassword);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("the new password " + e.getMessage());
        }
    }
}
