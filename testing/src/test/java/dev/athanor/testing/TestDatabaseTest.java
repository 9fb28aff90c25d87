package dev.athanor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    @Test
    void messagesMaskThePassword() {
        assertThat(TestDatabase.masked("postgresql://app:s3cret@db:5432/test")).isEqualTo(
                "postgresql://app:***@db:5432/test");
        assertThat(TestDatabase.masked("mariadb://root@127.0.0.1:3306/test")).isEqualTo(
                "mariadb://root@127.0.0.1:3306/test");
    }

    @Test
    void h2UrlsAreNewDatabasesAndNamesAreUnique() {
        assertThat(TestDatabase.H2.url()).startsWith("h2:mem:").isNotEqualTo(TestDatabase.H2.url());
        assertThat(TestDatabase.uniqueName("T")).startsWith("t_").isNotEqualTo(TestDatabase.uniqueName("T"));
    }
}
