package dev.athanor.example.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.example.blog.config.AppConfig;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {
    @Test
    void defaultsAreEmbeddedH2OnPort8080WithHikari() {
        AppConfig config = AppConfig.fromEnvironment(Map.of());

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.binds()).containsEntry("athanor.binds.users.url", AppConfig.DEFAULT_USERS_URL)
                .containsEntry("athanor.binds.blogs.url", AppConfig.DEFAULT_BLOGS_URL)
                .containsEntry("athanor.binds.users.pool", "hikari")
                .containsEntry("athanor.binds.blogs.pool", "hikari");
    }

    @Test
    void databaseUrlsPoolAndBindOptionsComeFromTheEnvironment() {
        AppConfig config = AppConfig.fromEnvironment(Map.of("PORT", "9000", "ATHANOR_POOL", "C3P0",
                "USERS_DATABASE_URL", "postgresql://app@127.0.0.1:5432/users",
                "ATHANOR_BINDS_BLOGS_POOL_SIZE", "3"));

        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.binds()).containsEntry("athanor.binds.users.url", "postgresql://app@127.0.0.1:5432/users")
                .containsEntry("athanor.binds.users.pool", "c3p0")
                .containsEntry("athanor.binds.blogs.pool_size", "3");
    }

    @Test
    void aBadPortOrPoolIsNamedWithTheValidChoices() {
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("PORT", "http", "ATHANOR_POOL", "bonecp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PORT must be a number, was 'http'; ATHANOR_POOL must be one of hikari, dbcp, c3p0, was"
                        + " 'bonecp'");
        assertThatThrownBy(() -> AppConfig.fromEnvironment(Map.of("PORT", "70000")))
                .hasMessage("PORT must be between 0 and 65535, was 70000");
    }
}
