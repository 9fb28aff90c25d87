package dev.athanor.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty on a random port with a session filter in front of the given servlets, driven over real HTTP. */
final class TestServer implements AutoCloseable {
    private final Server server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(RequestSessions<?> requests, Map<String, HttpServlet> servlets) throws Exception {
        this(requests, servlets, null);
    }

    /** With {@code virtualThreads} not null, Jetty runs every request on a virtual thread from it. */
    TestServer(RequestSessions<?> requests, Map<String, HttpServlet> servlets, Executor virtualThreads)
            throws Exception {
        // Few threads, so consecutive requests run on the same pooled threads.
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("web-test");
        threads.setVirtualThreadsExecutor(virtualThreads);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(requests.filter()), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        servlets.forEach((path, servlet) -> {
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, path);
        });
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    HttpClient client() {
        return client;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("stopping Jetty failed", e);
        }
    }
}
