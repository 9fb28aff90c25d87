package dev.athanor.example.blog;

import dev.athanor.example.blog.config.AppConfig;
import dev.athanor.example.blog.db.Database;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The example with one more route, {@code GET /slow?ms=N&email=E}: writes a user, says so on stdout, takes N ms, then
 * answers. {@link GracefulShutdownTest} runs it as a child process and stops it in the middle of that request.
 */
final class SlowApplication {
    private SlowApplication() {
    }

    public static void main(String[] args) throws Exception {
        BlogApplication[] app = new BlogApplication[1];
        HttpServlet slow = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                app[0].database().db().execute(Database.USERS, "INSERT INTO users (name, email) VALUES ('slow', :e)",
                        Map.of("e", req.getParameter("email")));
                System.out.println("SLOW-STARTED");
                System.out.flush();
                try {
                    Thread.sleep(Long.parseLong(req.getParameter("ms")));   // the request in flight
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("SLOW-FINISHED");
                System.out.flush();
                resp.setContentType("application/json");
                resp.getWriter().print("{\"slow\":\"done\"}");
            }
        };
        app[0] = BlogApplication.start(AppConfig.fromEnvironment(System.getenv()), Map.of("/slow", slow));
        System.out.println("PORT " + app[0].port());
        System.out.flush();
        BlogApplication.serve(app[0]);
    }
}
