package dev.athanor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Several databases from configuration, Flask-SQLAlchemy's {@code SQLALCHEMY_BINDS}: one engine per bind, built from
 * keys {@code <prefix>binds.<bind>.<option>} (the options of {@link Engine#fromConfig}), and the {@link SessionFactory}
 * over them. Close it to close every engine.
 *
 * <pre>{@code
 * // athanor.binds.users.url=postgresql://app:secret@127.0.0.1:5432/users
 * // athanor.binds.users.pool_size=10
 * // athanor.binds.blogs.url=mariadb://app@127.0.0.1:3306/blogs
 * // athanor.binds.blogs.max_overflow=0
 * try (Binds binds = Binds.fromConfig(properties, "athanor.")) {
 *     SessionFactory sessions = binds.sessions();
 *     sessions.useTransaction(s -> s.execute("blogs", "DELETE FROM posts WHERE id = :id", Map.of("id", 7)));
 * }
 * Binds fromEnv = Binds.fromEnvironment(System.getenv());   // ATHANOR_BINDS_USERS_URL, ATHANOR_BINDS_USERS_POOL_SIZE
 * }</pre>
 *
 * <p>Bind names are made of lower-case letters, digits and {@code _} and start with a letter; each engine's pool is
 * named after its bind unless {@code pool_name} says otherwise. A bind named {@code default} is the session
 * factory's default bind (what {@code execute(sql)} without a bind name uses); without one, statements name their
 * bind ({@code s.execute("users", sql, params)}). Binds commit in the order of their names.
 *
 * <p>Every problem of every bind (a missing url, a bad value, an unknown option, a bad bind name) is reported
 * in one {@link ConfigurationException}; no engine stays open when it is thrown. Passwords are masked in its message,
 * as everywhere.
 */
public final class Binds implements AutoCloseable {
    private static final Pattern BIND_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final Map<String, Engine> engines;
    private final SessionFactory sessions;

    private Binds(Map<String, Engine> engines, SessionFactory sessions) {
        this.engines = Collections.unmodifiableMap(engines);
        this.sessions = sessions;
    }

    /**
     * Reads the binds under {@code prefix} ({@code "athanor."} for {@code athanor.binds.users.url}) from
     * {@code config} (a {@code Map} or {@code Properties}); keys not under {@code <prefix>binds.} are ignored.
     *
     * @throws ConfigurationException listing every problem of every bind
     */
    public static Binds fromConfig(Map<?, ?> config, String prefix) {
        if (config == null) {
            throw new ConfigurationException("config must not be null");
        }
        String pre = prefix == null ? "" : prefix;
        String bindsPrefix = pre + "binds.";
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> perBind = new TreeMap<>();
        for (Map.Entry<?, ?> e : config.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                continue;
            }
            if (!key.startsWith(bindsPrefix)) {
                continue;
            }
            String rest = key.substring(bindsPrefix.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                problems.add("'" + key + "' names no option; expected " + bindsPrefix + "<bind>.<option>");
                continue;
            }
            String bind = rest.substring(0, dot);
            if (!BIND_NAME.matcher(bind).matches()) {
                problems.add("bind name '" + bind + "' in '" + key + "' must be lower-case letters, digits and _,"
                        + " starting with a letter");
                continue;
            }
            perBind.computeIfAbsent(bind, b -> new LinkedHashMap<>()).put(key, e.getValue());
        }
        if (perBind.isEmpty() && problems.isEmpty()) {
            problems.add("no bind is configured: set " + bindsPrefix + "<bind>.url for each database");
        }
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> bind : perBind.entrySet()) {
            String keyPrefix = bindsPrefix + bind.getKey() + ".";
            try {
                EngineBuilder b = EngineConfig.builderFrom(bind.getValue(), keyPrefix);
                if (bind.getValue().keySet().stream().noneMatch(k -> EngineConfig.normalize(
                        String.valueOf(k).substring(keyPrefix.length())).equals("poolname"))) {
                    b.poolName(bind.getKey());
                }
                engines.put(bind.getKey(), b.build());
            } catch (ConfigurationException e) {
                for (String p : e.problems()) {
                    problems.add("bind '" + bind.getKey() + "': " + p);
                }
            }
        }
        if (!problems.isEmpty()) {
            engines.values().forEach(Engine::close);
            throw new ConfigurationException("Invalid binds configuration: ", problems);
        }
        SessionFactoryBuilder factory = SessionFactory.builder();
        engines.forEach(factory::bind);
        try {
            return new Binds(engines, factory.build());
        } catch (ConfigurationException e) {
            engines.values().forEach(Engine::close);
            throw e;
        }
    }

    /**
     * Reads the binds from environment variables {@code ATHANOR_BINDS_<BIND>_<OPTION>}, for example
     * {@code ATHANOR_BINDS_USERS_URL} and {@code ATHANOR_BINDS_BLOGS_POOL_SIZE}; other variables are ignored. The bind
     * name is the word after {@code BINDS_}, lower-cased (so a bind read from the environment has no {@code _} in its
     * name); the rest, lower-cased, is the option ({@code pool_size}). Driver properties go in the URL's query.
     *
     * @throws ConfigurationException listing every problem of every bind
     */
    public static Binds fromEnvironment(Map<String, String> env) {
        if (env == null) {
            throw new ConfigurationException("env must not be null");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("ATHANOR_BINDS_")) {
                String rest = key.substring("ATHANOR_BINDS_".length()).toLowerCase(Locale.ROOT);
                int sep = rest.indexOf('_');
                String name = sep < 0 ? rest : rest.substring(0, sep) + "." + rest.substring(sep + 1);
                config.put("athanor.binds." + name, e.getValue());
            }
        }
        return fromConfig(config, "athanor.");
    }

    /** The session factory over every bind. */
    public SessionFactory sessions() {
        return sessions;
    }

    /** The engines by bind name, in commit order. */
    public Map<String, Engine> engines() {
        return engines;
    }

    /** The engine of {@code bind}. */
    public Engine engine(String bind) {
        Engine e = engines.get(bind);
        if (e == null) {
            throw new IllegalArgumentException("no bind named '" + bind + "'; the binds are " + engines.keySet());
        }
        return e;
    }

    /** Closes every engine (each closes its pool); idempotent. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Engine e : engines.values()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "Binds" + engines.keySet();
    }
}
