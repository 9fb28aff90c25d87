package dev.athanor.example.blog;

import dev.athanor.example.blog.config.AppConfig;
import dev.athanor.example.blog.db.Database;
import dev.athanor.example.blog.routes.Api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' two-database blog application on Jetty: {@code ./example} runs it. On SIGTERM (or Ctrl-C) it stops
 * accepting connections, lets the requests in flight finish (up to 30 s), then closes both engines.
 */
public final class BlogApplication implements AutoCloseable {
    /** How long a stop waits for the requests in flight. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(BlogApplication.class);

    private final Server server;
    private final Database database;
    private final int port;

    private BlogApplication(Server server, Database database, int port) {
        this.server = server;
        this.database = database;
        this.port = port;
    }

    /** Starts the application from the environment and stops it gracefully when the JVM is asked to exit. */
    public static void main(String[] args) throws Exception {
        serve(start(AppConfig.fromEnvironment(System.getenv())));
    }

    /** Runs {@code app} until the JVM is asked to exit (SIGTERM, Ctrl-C), then closes it gracefully. */
    static void serve(BlogApplication app) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "blog-shutdown"));
        app.server.join();
    }

    /** Opens the databases, creates the tables and starts listening. */
    public static BlogApplication start(AppConfig config) throws Exception {
        return start(config, Map.of());
    }

    /** {@link #start(AppConfig)} with extra servlets by path (tests add a slow one). */
    static BlogApplication start(AppConfig config, Map<String, HttpServlet> extra) throws Exception {
        Database database = Database.open(config.binds());
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("blog");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(database.requests().filter()), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        extra.forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        context.addServlet(new ServletHolder(new Api(database)), "/");
        // GracefulHandler makes Server.stop() wait for the requests in flight, up to the stop timeout.
        server.setHandler(new GracefulHandler(context));
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        try {
            server.start();
        } catch (Exception e) {
            database.close();
            throw e;
        }
        int port = connector.getLocalPort();
        LOG.info("listening on http://{}:{}", config.host(), port);
        return new BlogApplication(server, database, port);
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The databases. */
    public Database database() {
        return database;
    }

    /** Stops accepting, waits for the requests in flight, then closes the engines. Idempotent. */
    @Override
    public void close() {
        try {
            if (!server.isStopped()) {
                LOG.info("stopping: waiting up to {} s for requests in flight", STOP_TIMEOUT.toSeconds());
                server.stop();
            }
        } catch (Exception e) {
            LOG.warn("stopping the server failed: {}", e.toString());
        } finally {
            database.close();
        }
    }
}
