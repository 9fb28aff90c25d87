package dev.athanor.mybatis;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The seeds' two-database layout on one test database: a users database ({@code users} table) and a blogs database
 * ({@code blogs} table), each with its own engine. On H2 they are two in-memory databases; on MariaDB two databases
 * of the server; on PostgreSQL two schemas (the engine's {@code currentSchema}). Their names are unique, so the
 * mappers' plain table names never meet another test's tables on a shared server.
 */
final class ExampleDatabases implements AutoCloseable {
    final TestDatabase db;
    final Engine users;
    final Engine blogs;
    private final String usersName;
    private final String blogsName;

    private ExampleDatabases(TestDatabase db, String backend, UnaryOperator<EngineBuilder> options) {
        this.db = db;
        db.assumeAvailable();
        this.usersName = TestDatabase.uniqueName("athanor_users");
        this.blogsName = TestDatabase.uniqueName("athanor_blogs");
        createContainers();
        this.users = options.apply(builder(usersName).pool(backend).poolName("users-" + backend)).build();
        this.blogs = options.apply(builder(blogsName).pool(backend).poolName("blogs-" + backend)).build();
        users.useTransaction(c -> c.execute("CREATE TABLE users (" + db.idColumn()
                + ", name VARCHAR(50) NOT NULL, email VARCHAR(100) NOT NULL UNIQUE)"));
        blogs.useTransaction(c -> c.execute("CREATE TABLE blogs (" + db.idColumn()
                + ", user_id BIGINT NOT NULL, title VARCHAR(200) NOT NULL)"));
    }

    /** Both databases with their tables, each engine on {@code backend}, adjusted by {@code options}. */
    static ExampleDatabases create(TestDatabase db, String backend, UnaryOperator<EngineBuilder> options) {
        return new ExampleDatabases(db, backend, options);
    }

    static ExampleDatabases create(TestDatabase db, String backend) {
        return create(db, backend, b -> b);
    }

    private EngineBuilder builder(String name) {
        EngineBuilder b;
        switch (db) {
            case H2:
                b = Engine.builder(db.url());
                break;
            case POSTGRESQL:
                b = Engine.builder(db.url()).connectArg("currentSchema", name);
                break;
            default:
                b = Engine.builder(withDatabase(db.url(), name));
                break;
        }
        return b.poolTimeout(Duration.ofSeconds(10));
    }

    /** The server URL with its database replaced by {@code database} (the query, if any, kept). */
    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private void createContainers() {
        if (db == TestDatabase.H2) {
            return;
        }
        String kind = db == TestDatabase.POSTGRESQL ? "SCHEMA" : "DATABASE";
        try (Engine admin = Engine.builder(db.url()).pool("null").build()) {
            admin.useConnection(c -> {
                c.execute("CREATE " + kind + " " + usersName);
                c.execute("CREATE " + kind + " " + blogsName);
                c.commit();
            });
        }
    }

    /** Rows in a table, read through a connection of its own (committed rows only). */
    long count(Engine engine, String table) {
        return engine.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    long users() {
        return count(users, "users");
    }

    long blogs() {
        return count(blogs, "blogs");
    }

    @Override
    public void close() {
        try {
            if (db == TestDatabase.H2) {
                users.useTransaction(c -> c.execute("DROP TABLE users"));
                blogs.useTransaction(c -> c.execute("DROP TABLE blogs"));
            }
        } finally {
            users.close();
            blogs.close();
            if (db != TestDatabase.H2) {
                String drop = db == TestDatabase.POSTGRESQL ? "DROP SCHEMA %s CASCADE" : "DROP DATABASE %s";
                try (Engine admin = Engine.builder(db.url()).pool("null").build()) {
                    admin.useConnection(c -> {
                        c.execute(String.format(drop, usersName));
                        c.execute(String.format(drop, blogsName));
                        c.commit();
                    });
                }
            }
        }
    }
}
