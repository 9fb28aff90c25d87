package dev.athanor.example.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.example.blog.Http.Reply;
import dev.athanor.testing.TestDatabase;

import org.junit.jupiter.api.Test;

/** {@code /health} answers 503 as soon as one database does not answer its ping, and says which and why. */
class HealthDownTest {
    @Test
    void aDatabaseThatDoesNotAnswerMakesHealth503WithItsErrorType() throws Exception {
        try (Deployment deployment = new Deployment(TestDatabase.H2, TestDatabase.H2, "hikari")) {
            Http http = new Http(deployment.app.port());
            assertThat(http.get("/health").status()).isEqualTo(200);

            deployment.blogs().close(); // what a database that went away looks like to its ping: no connection

            Reply health = http.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("down");
            var users = health.json().get("databases").get("users");
            var blogs = health.json().get("databases").get("blogs");
            assertThat(users.get("status").asText()).isEqualTo("up");
            assertThat(blogs.get("status").asText()).isEqualTo("down");
            assertThat(blogs.get("errorType").asText()).isEqualTo(IllegalStateException.class.getName());
            assertThat(blogs.get("message").asText()).contains("closed");
            assertThat(blogs.get("latencyMs").asDouble()).isNotNegative();
        }
    }
}
