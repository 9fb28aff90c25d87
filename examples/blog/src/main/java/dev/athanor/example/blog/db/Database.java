package dev.athanor.example.blog.db;

import dev.athanor.Binds;
import dev.athanor.Engine;
import dev.athanor.PoolStatus;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.example.blog.routes.Json;
import dev.athanor.web.RequestSessions;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' {@code db} module: one engine per database, made once at start-up from the configuration, the tables
 * created, and one session per request (the request's unit of work, ended by the filter).
 */
public final class Database implements AutoCloseable {
    /** The bind of the users database. */
    public static final String USERS = "users";
    /** The bind of the blogs database. */
    public static final String BLOGS = "blogs";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Binds binds;
    private final RequestSessions<Session> requests;

    private Database(Binds binds) {
        this.binds = binds;
        // A 4xx refuses the request: nothing it wrote may stay (a user without the post that was refused with it).
        this.requests = RequestSessions.builder(binds.sessions())
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

    /** Each bind's pool: backend, SQLAlchemy's status text and the counts. */
    public Map<String, Object> health() {
        Map<String, Object> pools = new LinkedHashMap<>();
        binds.engines().forEach((bind, engine) -> {
            PoolStatus s = engine.status();
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("backend", engine.backendName());
            pool.put("status", s.toString());
            pool.put("size", s.size());
            pool.put("checkedIn", s.checkedIn());
            pool.put("checkedOut", s.checkedOut());
            pool.put("overflow", s.overflow());
            pools.put(bind, pool);
        });
        return pools;
    }

    /** Closes both engines (their pools close every connection). */
    @Override
    public void close() {
        binds.close();
        LOG.info("engines closed");
    }
}
