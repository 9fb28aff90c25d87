package dev.athanor.example.blog;

import dev.athanor.testing.TestDatabase;

/** Users on PostgreSQL, blogs on MariaDB. */
class BlogApiServersC3p0Test extends AbstractBlogApiTest {
    @Override
    TestDatabase usersDatabase() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    TestDatabase blogsDatabase() {
        return TestDatabase.MARIADB;
    }

    @Override
    String backend() {
        return "c3p0";
    }
}
