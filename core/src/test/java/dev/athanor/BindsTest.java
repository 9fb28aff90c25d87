package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BindsTest {

    @Test
    void buildsOneEnginePerBindAndASessionFactoryOverThem() {
        Properties p = new Properties();
        p.setProperty("athanor.binds.users.url", "h2:mem:binds_users");
        p.setProperty("athanor.binds.users.pool", "static");
        p.setProperty("athanor.binds.blogs.url", "h2:mem:binds_blogs");
        p.setProperty("athanor.binds.blogs.hide_parameters", "true");
        p.setProperty("other.key", "ignored");
        try (Binds binds = Binds.fromConfig(p, "athanor.")) {
            assertThat(binds.engines()).containsOnlyKeys("users", "blogs");
            assertThat(binds.engine("users").backendName()).isEqualTo("static");
            assertThat(binds.engine("blogs").hideParameters()).isTrue();
            assertThat(binds.engine("users").name()).isEqualTo("users");
            assertThat(binds.sessions().bindNames()).containsExactly("blogs", "users");
            binds.sessions().useTransaction(s -> {
                s.execute("users", "CREATE TABLE u (id INT)", Map.of());
                s.execute("blogs", "CREATE TABLE b (id INT)", Map.of());
                s.execute("users", "INSERT INTO u VALUES (1)", Map.of());
                s.execute("blogs", "INSERT INTO b VALUES (2)", Map.of());
            });
            assertThat(binds.engine("users").<Integer, RuntimeException>withConnection(
                    c -> c.execute("SELECT id FROM u").scalar(Integer.class)))
                    .isEqualTo(1);
            assertThat(binds.engine("blogs").<Integer, RuntimeException>withConnection(
                    c -> c.execute("SELECT id FROM b").scalar(Integer.class)))
                    .isEqualTo(2);
        }
    }

    @Test
    void aBindNamedDefaultIsTheDefaultBind() {
        try (Binds binds = Binds.fromConfig(Map.of("binds.default.url", "h2:mem:binds_default"), "")) {
            assertThat(binds.sessions().engine()).isSameAs(binds.engine("default"));
        }
    }

    @Test
    void everyProblemOfEveryBindIsReportedAtOnceWithPasswordsMasked() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("athanor.binds.users.url", "postgresql://app:s3cretPw@127.0.0.1:5432/users");
        config.put("athanor.binds.users.pool_size", "many");
        config.put("athanor.binds.blogs.pool_siz", "3");
        config.put("athanor.binds.Bad-Name.url", "h2:mem:x");
        assertThatThrownBy(() -> Binds.fromConfig(config, "athanor."))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).contains("'Bad-Name'"),
                        p -> assertThat(p).startsWith("bind 'blogs': no 'athanor.binds.blogs.url'"),
                        p -> assertThat(p).startsWith("bind 'users': ")
                                .contains("athanor.binds.users.pool_size must be a whole number, was 'many'")))
                .hasMessageNotContaining("s3cretPw");
    }

    @Test
    void noBindIsAnError() {
        assertThatThrownBy(() -> Binds.fromConfig(Map.of("athanor.url", "h2:mem:x"), "athanor."))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no bind is configured: set athanor.binds.<bind>.url");
        assertThatThrownBy(() -> Binds.fromConfig(null, "athanor."))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("config must not be null");
    }

    @Test
    void readsBindsFromEnvironmentVariables() {
        Map<String, String> env = Map.of(
                "ATHANOR_BINDS_USERS_URL", "h2:mem:binds_env_users",
                "ATHANOR_BINDS_USERS_POOL", "static",
                "ATHANOR_BINDS_BLOGS_URL", "h2:mem:binds_env_blogs",
                "ATHANOR_BINDS_BLOGS_HIDE_PARAMETERS", "true",
                "PATH", "/usr/bin");
        try (Binds binds = Binds.fromEnvironment(env)) {
            assertThat(binds.engines()).containsOnlyKeys("blogs", "users");
            assertThat(binds.engine("users").backendName()).isEqualTo("static");
            assertThat(binds.engine("blogs").hideParameters()).isTrue();
        }
    }

    @Test
    void anUnknownBindIsNamedWithTheKnownOnes() {
        try (Binds binds = Binds.fromConfig(Map.of("binds.users.url", "h2:mem:binds_unknown"), "")) {
            assertThatThrownBy(() -> binds.engine("blogs")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no bind named 'blogs'; the binds are [users]");
        }
    }
}
