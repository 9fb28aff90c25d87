package dev.athanor.example.blog.db;

import dev.athanor.Binds;
import dev.athanor.Engine;
import dev.athanor.Health;
import dev.athanor.PoolStatus;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.example.blog.routes.Json;
import dev.athanor.micrometer.AthanorMetrics;
import dev.athanor.micrometer.SessionMetrics;
import dev.athanor.web.RequestSessions;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' {@code db} module: one engine per database, made once at start-up from the configuration, the tables
 * created, and one session per request (the request's unit of work, ended by the filter). Both pools and the sessions
 * are measured into a Prometheus registry ({@code /metrics}); {@code /health} pings each database.
 */
public final class Database implements AutoCloseable {
    /** The bind of the users database. */
    public static final String USERS = "users";
    /** The bind of the blogs database. */
    public static final String BLOGS = "blogs";
    /** How long {@link #health()} waits for each database. */
    public static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Binds binds;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SessionMetrics metrics;
    private final RequestSessions<Session> requests;

    private Database(Binds binds) {
        this.binds = binds;
        // Every bind's pool meters and the session meters; requests open their sessions from the measured factory.
        this.metrics = AthanorMetrics.bindTo(binds.sessions(), registry);
        // A 4xx refuses the request: nothing it wrote may stay (a user without the post that was refused with it).
        this.requests = RequestSessions.builder(metrics.sessions())
                .rollbackFromStatus(400)
                .onCommitFailure((response, failure) -> Json.error(response, 500,
                        "the changes could not be committed; nothing was saved"))
                .build();
    }

    /** Builds the engines from {@code config} ({@code athanor.binds.*}) and creates the tables that are missing. */
    public static Database open(Map<String, String> config) {
        Binds binds = Binds.fromConfig(config, "athanor.");
        try {
            Schema.users().createAll(binds.engine(USERS));
            Schema.blogs().createAll(binds.engine(BLOGS));
        } catch (RuntimeException e) {
            binds.close();
            throw e;
        }
        binds.engines().forEach((bind, engine) -> LOG.info("database {}: {} on pool {}", bind, engine.url(),
                engine.backendName()));
        return new Database(binds);
    }

    /** The request's session: the same object everywhere in one request. */
    public ScopedSession<Session> db() {
        return requests.db();
    }

    /** What gives each request its session; the application registers its filter. */
    public RequestSessions<Session> requests() {
        return requests;
    }

    /** The engines by bind. */
    public Map<String, Engine> engines() {
        return binds.engines();
    }

    /**
     * Each database: {@code up} or {@code down} from a ping ({@link Engine#ping(Duration)}: a checkout and one round
     * trip, bounded by {@link #PING_TIMEOUT}), its latency, and when down the error's type and SQLState; then its
     * pool: backend, SQLAlchemy's status text and the counts.
     */
    public Map<String, Map<String, Object>> health() {
        Map<String, Map<String, Object>> databases = new LinkedHashMap<>();
        binds.engines().forEach((bind, engine) -> {
            Health h = engine.ping(PING_TIMEOUT);
            PoolStatus s = engine.status();
            Map<String, Object> db = new LinkedHashMap<>();
            db.put("status", h.isUp() ? "up" : "down");
            db.put("latencyMs", Math.round(h.latency().toNanos() / 1e3) / 1000.0);
            if (!h.isUp()) {
                db.put("errorType", h.errorType());
                db.put("sqlState", h.sqlState());
                db.put("message", h.message());
            }
            db.put("backend", engine.backendName());
            db.put("pool", s.toString());
            db.put("size", s.size());
            db.put("max", s.max());
            db.put("checkedIn", s.checkedIn());
            db.put("checkedOut", s.checkedOut());
            db.put("overflow", s.overflow());
            db.put("waiting", s.waiting());
            databases.put(bind, db);
        });
        return databases;
    }

    /** True when every database in {@code health} answered. */
    public static boolean allUp(Map<String, Map<String, Object>> health) {
        return health.values().stream().allMatch(db -> "up".equals(db.get("status")));
    }

    /** The meters of both pools and of the sessions in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry the meters are in. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Closes both engines (their pools close every connection). */
    @Override
    public void close() {
        metrics.close();
        binds.close();
        registry.close();
        LOG.info("engines closed");
    }
}
