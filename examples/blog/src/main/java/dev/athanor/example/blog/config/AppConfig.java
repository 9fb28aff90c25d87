package dev.athanor.example.blog.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The application's settings, read from the environment (the seeds' {@code config} module).
 *
 * <ul>
 * <li>{@code PORT} (default 8080; 0 picks a free port) and {@code HOST} (default 127.0.0.1);</li>
 * <li>{@code USERS_DATABASE_URL}, {@code BLOGS_DATABASE_URL}: any Athanor URL; by default embedded in-memory H2 (for
 * an H2 URL of your own, add {@code ;DB_CLOSE_ON_EXIT=FALSE} so H2 does not close it before a graceful stop
 * ends);</li>
 * <li>{@code ATHANOR_POOL}: the pool backend of both databases, {@code hikari} (default), {@code dbcp} or
 * {@code c3p0};</li>
 * <li>{@code ATHANOR_BINDS_<USERS|BLOGS>_<OPTION>}: any engine option of one database, for example
 * {@code ATHANOR_BINDS_USERS_POOL_SIZE=10} (see {@code Binds.fromEnvironment}).</li>
 * </ul>
 *
 * @param host the interface to listen on
 * @param port the port to listen on
 * @param binds the engine options of the two databases, {@code athanor.binds.<bind>.<option>}
 */
public record AppConfig(String host, int port, Map<String, String> binds) {
    /**
     * The default URL of the users database: in-memory H2, kept for the life of the process. H2 closes its databases
     * in a shutdown hook of its own unless told not to; that would cut off the requests a graceful stop lets finish.
     */
    public static final String DEFAULT_USERS_URL = "h2:mem:users;DB_CLOSE_ON_EXIT=FALSE";
    /** The default URL of the blogs database (see {@link #DEFAULT_USERS_URL}). */
    public static final String DEFAULT_BLOGS_URL = "h2:mem:blogs;DB_CLOSE_ON_EXIT=FALSE";
    private static final List<String> POOLS = List.of("hikari", "dbcp", "c3p0");

    /** Reads the settings from {@code env} (give it {@code System.getenv()}). */
    public static AppConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = 8080;
        String rawPort = env.get("PORT");
        if (rawPort != null && !rawPort.isBlank()) {
            try {
                port = Integer.parseInt(rawPort.strip());
                if (port < 0 || port > 65535) {
                    problems.add("PORT must be between 0 and 65535, was " + rawPort);
                }
            } catch (NumberFormatException e) {
                problems.add("PORT must be a number, was '" + rawPort + "'");
            }
        }
        String pool = env.getOrDefault("ATHANOR_POOL", "hikari").strip().toLowerCase(Locale.ROOT);
        if (!POOLS.contains(pool)) {
            problems.add("ATHANOR_POOL must be one of " + String.join(", ", POOLS) + ", was '" + pool + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, String> binds = new LinkedHashMap<>();
        binds.put("athanor.binds.users.url", env.getOrDefault("USERS_DATABASE_URL", DEFAULT_USERS_URL));
        binds.put("athanor.binds.blogs.url", env.getOrDefault("BLOGS_DATABASE_URL", DEFAULT_BLOGS_URL));
        binds.put("athanor.binds.users.pool", pool);
        binds.put("athanor.binds.blogs.pool", pool);
        // A request should fail fast rather than queue for 30 s when the database is saturated.
        binds.put("athanor.binds.users.pool_timeout", "10s");
        binds.put("athanor.binds.blogs.pool_timeout", "10s");
        env.forEach((key, value) -> {
            if (key.startsWith("ATHANOR_BINDS_")) {
                String rest = key.substring("ATHANOR_BINDS_".length()).toLowerCase(Locale.ROOT);
                int sep = rest.indexOf('_');
                if (sep > 0) {
                    binds.put("athanor.binds." + rest.substring(0, sep) + "." + rest.substring(sep + 1), value);
                }
            }
        });
        return new AppConfig(env.getOrDefault("HOST", "127.0.0.1"), port, binds);
    }
}
