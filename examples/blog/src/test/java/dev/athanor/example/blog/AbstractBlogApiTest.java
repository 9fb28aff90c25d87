package dev.athanor.example.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Engine;
import dev.athanor.example.blog.Http.Reply;
import dev.athanor.testing.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The example application over real HTTP: every endpoint and every refusal, written once; subclasses choose the
 * databases (H2, or users on PostgreSQL and blogs on MariaDB) and the pool backend. The load test is
 * {@link AbstractBlogLoadTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractBlogApiTest {
    private static final AtomicInteger EMAILS = new AtomicInteger();

    Deployment deployment;
    Http http;

    abstract TestDatabase usersDatabase();

    abstract TestDatabase blogsDatabase();

    abstract String backend();

    @BeforeAll
    void start() throws Exception {
        deployment = new Deployment(usersDatabase(), blogsDatabase(), backend());
        http = new Http(deployment.app.port());
    }

    @AfterAll
    void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @AfterEach
    void nothingIsCheckedOut() {
        for (Engine e : deployment.app.database().engines().values()) {
            assertThat(e.status().checkedOut()).as("connections checked out of %s after the test", e.name()).isZero();
        }
    }

    static String email() {
        return "user" + EMAILS.incrementAndGet() + "@example.com";
    }

    long count(Engine engine, String sql, Object... params) {
        return engine.withConnection(c -> c.execute(sql, params).scalar(Long.class));
    }

    @Test
    void postUsersCreatesAUserAndGetReturnsIt() throws Exception {
        String email = email();
        Reply created = http.post("/users", Map.of("name", "ann", "email", email));

        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("name").asText()).isEqualTo("ann");
        assertThat(created.json().get("email").asText()).isEqualTo(email);

        Reply one = http.get("/users/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json()).isEqualTo(created.json());
        Reply all = http.get("/users");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json()).anyMatch(u -> u.equals(created.json()));
        assertThat(count(deployment.users(), "SELECT count(*) FROM users WHERE email = ?", email)).isEqualTo(1);
    }

    @Test
    void aMissingOrMalformedFieldOrABodyThatIsNotJsonIs400AndWritesNothing() throws Exception {
        long before = count(deployment.users(), "SELECT count(*) FROM users");

        Reply notJson = http.post("/users", "{not json");
        Reply array = http.post("/users", "[1, 2]");
        Reply noName = http.post("/users", Map.of("email", email()));
        Reply badEmail = http.post("/users", Map.of("name", "bo", "email", "not-an-email"));
        Reply numberName = http.post("/users", "{\"name\": 5, \"email\": \"" + email() + "\"}");

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).startsWith("the body is not JSON");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.error()).isEqualTo("the body must be a JSON object");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.error()).isEqualTo("name is required");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.error()).contains("email must look like name@host");
        assertThat(numberName.status()).isEqualTo(400);
        assertThat(numberName.error()).isEqualTo("name must be a non-empty string");
        assertThat(count(deployment.users(), "SELECT count(*) FROM users")).isEqualTo(before);
    }

    @Test
    void anEmailThatExistsIs409AndNothingIsWritten() throws Exception {
        String email = email();
        assertThat(http.post("/users", Map.of("name", "ann", "email", email)).status()).isEqualTo(201);

        Reply again = http.post("/users", Map.of("name", "other", "email", email,
                "firstPost", Map.of("title", "t", "body", "b")));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("a user with e-mail " + email + " already exists");
        assertThat(count(deployment.users(), "SELECT count(*) FROM users WHERE email = ?", email)).isEqualTo(1);
        assertThat(count(deployment.users(), "SELECT count(*) FROM users WHERE name = 'other'")).isZero();
    }

    @Test
    void anAbsentUserIs404() throws Exception {
        Reply missing = http.get("/users/987654321");
        Reply notANumber = http.get("/users/abc");
        Reply postsOfMissing = http.get("/users/987654321/posts");
        Reply postToMissing = http.post("/users/987654321/posts", Map.of("title", "t", "body", "b"));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("no user with id 987654321");
        assertThat(notANumber.status()).isEqualTo(404);
        assertThat(postsOfMissing.status()).isEqualTo(404);
        assertThat(postToMissing.status()).isEqualTo(404);
        assertThat(count(deployment.blogs(), "SELECT count(*) FROM posts WHERE user_id = 987654321")).isZero();
    }

    @Test
    void postsLiveInTheBlogsDatabase() throws Exception {
        long userId = http.post("/users", Map.of("name", "ann", "email", email())).json().get("id").asLong();

        Reply created = http.post("/users/" + userId + "/posts", Map.of("title", "Hello", "body", "First!"));
        Reply badPost = http.post("/users/" + userId + "/posts", Map.of("title", "no body"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("userId").asLong()).isEqualTo(userId);
        assertThat(created.json().get("title").asText()).isEqualTo("Hello");
        assertThat(created.json().get("body").asText()).isEqualTo("First!");
        assertThat(badPost.status()).isEqualTo(400);
        assertThat(badPost.error()).isEqualTo("body is required");
        Reply list = http.get("/users/" + userId + "/posts");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1).first().isEqualTo(created.json());
        assertThat(count(deployment.blogs(), "SELECT count(*) FROM posts WHERE user_id = ?", userId)).isEqualTo(1);
    }

    @Test
    void aUserWithItsFirstPostIsWrittenToBothDatabasesInOneUnitOfWork() throws Exception {
        String email = email();
        Reply created = http.post("/users", Map.of("name", "dee", "email", email,
                "firstPost", Map.of("title", "Hi", "body", "both databases")));

        assertThat(created.status()).isEqualTo(201);
        long userId = created.json().get("id").asLong();
        assertThat(created.json().get("firstPost").get("userId").asLong()).isEqualTo(userId);
        assertThat(count(deployment.users(), "SELECT count(*) FROM users WHERE email = ?", email)).isEqualTo(1);
        assertThat(count(deployment.blogs(), "SELECT count(*) FROM posts WHERE user_id = ?", userId)).isEqualTo(1);
    }

    @Test
    void whenTheFirstPostIsRefusedNeitherDatabaseHasTheUserOrThePost() throws Exception {
        String email = email();
        long postsBefore = count(deployment.blogs(), "SELECT count(*) FROM posts");

        Reply refused = http.post("/users", Map.of("name", "cy", "email", email,
                "firstPost", Map.of("title", "t".repeat(201), "body", "too long a title")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("the blogs database refused the post");
        assertThat(count(deployment.users(), "SELECT count(*) FROM users WHERE email = ?", email)).isZero();
        assertThat(count(deployment.blogs(), "SELECT count(*) FROM posts")).isEqualTo(postsBefore);
        assertThat(count(deployment.blogs(), "SELECT count(*) FROM posts WHERE body = 'too long a title'")).isZero();
    }

    @Test
    void healthPingsEachDatabaseAndShowsItsPool() throws Exception {
        Reply health = http.get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        for (String bind : new String[] {"users", "blogs"}) {
            var db = health.json().get("databases").get(bind);
            assertThat(db.get("status").asText()).as("%s pinged", bind).isEqualTo("up");
            assertThat(db.get("latencyMs").asDouble()).isNotNegative();
            assertThat(db.has("errorType")).as("an error type while up").isFalse();
            assertThat(db.get("backend").asText()).isEqualTo(backend());
            assertThat(db.get("size").asInt()).isEqualTo(Deployment.POOL_SIZE);
            assertThat(db.get("max").asInt()).isEqualTo(Deployment.POOL_SIZE + Deployment.MAX_OVERFLOW);
            assertThat(db.get("checkedOut").asInt()).isZero();
            assertThat(db.get("waiting").asInt()).isZero();
            assertThat(db.get("pool").asText()).startsWith("Pool size: " + Deployment.POOL_SIZE + "  Connections"
                    + " in pool: ").contains("Current Checked out connections: 0");
        }
    }

    @Test
    void metricsServeBothPoolsAndTheSessionsInPrometheusTextFormat() throws Exception {
        Reply created = http.post("/users", Map.of("name", "mo", "email", email(),
                "firstPost", Map.of("title", "t", "body", "b")));
        assertThat(created.status()).isEqualTo(201);

        Reply metrics = http.get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        for (Engine e : List.of(deployment.users(), deployment.blogs())) {
            String pool = "db_client_connection_pool_name=\"" + e.name() + "\"";
            assertThat(metrics.text()).as("the meters of %s", e.name())
                    .containsPattern("(?m)^db_client_connection_count\\{" + pool
                            + ",db_client_connection_state=\"used\"} 0(\\.0)?$")
                    .containsPattern("(?m)^db_client_connection_count\\{" + pool
                            + ",db_client_connection_state=\"idle\"} [1-9]")
                    .containsPattern("(?m)^db_client_connection_max\\{" + pool + "} "
                            + (Deployment.POOL_SIZE + Deployment.MAX_OVERFLOW))
                    .containsPattern("(?m)^db_client_connection_wait_time_seconds_count\\{" + pool + "} [1-9]")
                    .containsPattern("(?m)^db_client_connection_use_time_seconds_sum\\{" + pool + "} ")
                    .containsPattern("(?m)^athanor_pool_invalidations_total\\{" + pool + ",reason=\"pre_ping\"} 0");
        }
        assertThat(metrics.text()).containsPattern("(?m)^athanor_session_retries_total\\{athanor_session_factory=");
    }

    @Test
    void twoThousandMixedRequestsFrom32ClientsLoseNothingLeakNothingAndStayWithinThePoolCaps() throws Exception {
        List<Long> seedUsers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seedUsers.add(http.post("/users", Map.of("name", "seed", "email", email())).json().get("id").asLong());
        }
        LoadRun load = new LoadRun();

        load.run(deployment, http, 2_000, 32, seedUsers);

        assertThat(load.unexpected).as("responses other than the designed ones").isEmpty();
        assertThat(load.outcomes).hasSize(2_000);
        assertThat(load.samples.get()).as("connection samples taken").isGreaterThan(10);
        int cap = Deployment.POOL_SIZE + Deployment.MAX_OVERFLOW;
        for (String bind : new String[] {"users", "blogs"}) {
            assertThat(load.maxPoolOpen.get(bind).get()).as("most connections %s's pool had open", bind)
                    .isBetween(1, cap);
            boolean server = (bind.equals("users") ? usersDatabase() : blogsDatabase()) != TestDatabase.H2;
            assertThat(load.maxServer.get(bind).get()).as("most server connections to %s's database", bind)
                    .isBetween(server ? 1 : -1, server ? cap : -1);
        }
        Engine users = deployment.users();
        Engine blogs = deployment.blogs();
        long createdUsers = load.outcomes.stream().filter(o -> o.kind().equals("user")).count();
        long createdPosts = load.outcomes.stream().filter(o -> o.kind().equals("post")).count();
        assertThat(count(users, "SELECT count(*) FROM users WHERE email LIKE 'load-%'")).isEqualTo(createdUsers);
        assertThat(count(users, "SELECT count(DISTINCT email) FROM users WHERE email LIKE 'load-%'"))
                .isEqualTo(createdUsers);
        assertThat(count(blogs, "SELECT count(*) FROM posts WHERE title LIKE 'first-%'")).isEqualTo(createdUsers);
        assertThat(count(blogs, "SELECT count(*) FROM posts WHERE title LIKE 'load-%'")).isEqualTo(createdPosts);
        assertThat(count(blogs, "SELECT count(DISTINCT title) FROM posts WHERE title LIKE 'load-%'"))
                .isEqualTo(createdPosts);
        for (LoadRun.Outcome o : load.outcomes) {
            if (o.kind().equals("user")) {
                assertThat(count(users, "SELECT count(*) FROM users WHERE id = ? AND email = ?", o.id(),
                        "load-" + o.ticket() + "@example.com")).as("user of request %d", o.ticket()).isEqualTo(1);
            }
        }
        assertThat(count(users, "SELECT count(*) FROM users WHERE email LIKE 'fail-%'")).isZero();
        assertThat(count(blogs, "SELECT count(*) FROM posts WHERE body LIKE 'fail-%'")).isZero();
    }

    @Test
    void anUnknownRouteIs404AndAWrongMethodIs405() throws Exception {
        Reply unknown = http.get("/nothing-here");
        Reply wrongMethod = http.post("/health", "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("no route for GET /nothing-here");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }
}
