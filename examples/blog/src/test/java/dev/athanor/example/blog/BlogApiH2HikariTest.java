package dev.athanor.example.blog;

import dev.athanor.testing.TestDatabase;

class BlogApiH2HikariTest extends AbstractBlogApiTest {
    @Override
    TestDatabase usersDatabase() {
        return TestDatabase.H2;
    }

    @Override
    TestDatabase blogsDatabase() {
        return TestDatabase.H2;
    }

    @Override
    String backend() {
        return "hikari";
    }
}
