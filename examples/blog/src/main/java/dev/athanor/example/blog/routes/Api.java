package dev.athanor.example.blog.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.example.blog.db.Database;
import dev.athanor.example.blog.models.NewPost;
import dev.athanor.example.blog.models.NewUser;
import dev.athanor.example.blog.services.ApiException;
import dev.athanor.example.blog.services.PostService;
import dev.athanor.example.blog.services.UserService;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API (the seeds' {@code routes}): parses and validates the request, calls a service, writes the answer.
 * Refusals become 4xx answers; since the application's request sessions roll back from 400, nothing a refused
 * request wrote is kept, in either database.
 */
public final class Api extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final Pattern USER = Pattern.compile("/users/([^/]+)");
    private static final Pattern USER_POSTS = Pattern.compile("/users/([^/]+)/posts");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    /** Prometheus' text exposition format. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final transient Database database;
    private final transient UserService users;
    private final transient PostService posts;

    /** The routes over {@code database}. */
    public Api(Database database) {
        this.database = database;
        this.posts = new PostService(database);
        this.users = new UserService(database, posts);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod();
        try {
            Matcher m;
            if (path.equals("/health")) {
                only(method, "GET");
                Map<String, Map<String, Object>> databases = database.health();
                boolean up = Database.allUp(databases);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", up ? "ok" : "down");
                body.put("databases", databases);
                Json.write(response, up ? 200 : 503, body);
            } else if (path.equals("/metrics")) {
                only(method, "GET");
                response.setStatus(200);
                response.setContentType(PROMETHEUS_TEXT);
                response.getWriter().write(database.scrape());
            } else if (path.equals("/users")) {
                if (method.equals("POST")) {
                    Json.write(response, 201, created(users.create(newUser(Json.object(request)))));
                } else {
                    only(method, "GET", "POST");
                    Json.write(response, 200, users.all());
                }
            } else if ((m = USER_POSTS.matcher(path)).matches()) {
                long userId = users.find(id(m.group(1))).id();
                if (method.equals("POST")) {
                    Json.write(response, 201, posts.insert(userId, newPost(Json.object(request), "")));
                } else {
                    only(method, "GET", "POST");
                    Json.write(response, 200, posts.byUser(userId));
                }
            } else if ((m = USER.matcher(path)).matches()) {
                only(method, "GET");
                Json.write(response, 200, users.find(id(m.group(1))));
            } else {
                throw new ApiException(404, "no route for " + method + " " + path);
            }
        } catch (ApiException e) {
            Json.error(response, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            // The request's session rolls back (500); the client gets no internals.
            LOG.error("{} {} failed", method, path, e);
            Json.error(response, 500, "internal error");
        }
    }

    private static Object created(UserService.CreatedUser created) {
        if (created.firstPost() == null) {
            return created.user();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", created.user().id());
        body.put("name", created.user().name());
        body.put("email", created.user().email());
        body.put("firstPost", created.firstPost());
        return body;
    }

    private static void only(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, "method " + method + " is not allowed here; use " + String.join(" or ", allowed));
    }

    private static long id(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(404, "no user with id " + raw);
        }
    }

    private static NewUser newUser(JsonNode body) {
        String name = text(body, "name", "");
        String email = text(body, "email", "");
        if (!EMAIL.matcher(email).matches()) {
            throw new ApiException(400, "email must look like name@host, was '" + email + "'");
        }
        JsonNode first = body.get("firstPost");
        NewPost post = null;
        if (first != null && !first.isNull()) {
            if (!first.isObject()) {
                throw new ApiException(400, "firstPost must be an object with title and body");
            }
            post = newPost(first, "firstPost.");
        }
        return new NewUser(name, email, post);
    }

    private static NewPost newPost(JsonNode body, String prefix) {
        return new NewPost(text(body, "title", prefix), text(body, "body", prefix));
    }

    /** A required, non-blank string field; the length limits are the tables' to enforce. */
    private static String text(JsonNode body, String field, String prefix) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new ApiException(400, prefix + field + " is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ApiException(400, prefix + field + " must be a non-empty string");
        }
        return value.asText();
    }
}
