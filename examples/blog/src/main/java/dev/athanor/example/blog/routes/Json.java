package dev.athanor.example.blog.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.athanor.example.blog.services.ApiException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Reading and writing JSON with Jackson. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    /**
     * The request body as a JSON object.
     *
     * @throws ApiException 400 when the body is not a JSON object
     */
    static JsonNode object(HttpServletRequest request) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(request.getInputStream());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        return node;
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // Not writeValue(stream): Jackson closes the stream it wrote to, and a closed stream sends the response.
        response.getOutputStream().write(MAPPER.writeValueAsBytes(body));
    }

    /** Writes {@code {"error": message}} with {@code status}. */
    public static void error(HttpServletResponse response, int status, String message) throws IOException {
        write(response, status, Map.of("error", message));
    }
}
