package dev.athanor.hibernate;

import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.testing.TestDatabase;

import java.time.Duration;

/**
 * The seeds' two-database layout for the Hibernate entities: a users database ({@code hb_users}) and a blogs database
 * ({@code hb_blogs}), each with the id sequence its entity draws from and its own engine. On H2 they are two in-memory
 * databases; on MariaDB two databases of the server; on PostgreSQL two schemas (the engine's {@code currentSchema}).
 * Their names are unique, and the tables' names are this module's own, so nothing meets another test's tables on a
 * shared server.
 */
final class HibernateDatabases implements AutoCloseable {
    final TestDatabase db;
    final Engine users;
    final Engine blogs;
    private final String usersName;
    private final String blogsName;
    /** Per database name, the URL it was first opened with (H2 gives a new in-memory database per URL). */
    private final java.util.Map<String, String> urls = new java.util.HashMap<>();

    HibernateDatabases(TestDatabase db, String backend) {
        this.db = db;
        db.assumeAvailable();
        this.usersName = TestDatabase.uniqueName("athanor_hb_users");
        this.blogsName = TestDatabase.uniqueName("athanor_hb_blogs");
        createContainers();
        this.users = builder(usersName).pool(backend).poolName("users-" + backend).build();
        this.blogs = builder(blogsName).pool(backend).poolName("blogs-" + backend).build();
        users.useTransaction(c -> {
            c.execute("CREATE TABLE hb_users (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL,"
                    + " email VARCHAR(100) NOT NULL UNIQUE)");
            c.execute("CREATE SEQUENCE hb_users_seq START WITH 1 INCREMENT BY 50");
        });
        blogs.useTransaction(c -> {
            c.execute("CREATE TABLE hb_blogs (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,"
                    + " title VARCHAR(200) NOT NULL)");
            c.execute("CREATE SEQUENCE hb_blogs_seq START WITH 1 INCREMENT BY 50");
        });
    }

    /** An engine builder on the users database (for engines with other options, such as echo). */
    EngineBuilder usersEngine() {
        return builder(usersName);
    }

    private EngineBuilder builder(String name) {
        EngineBuilder b;
        switch (db) {
            case H2:
                b = Engine.builder(urls.computeIfAbsent(name, n -> db.url()));
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

    /** Empties both tables (their sequences go on). */
    void empty() {
        users.useTransaction(c -> c.execute("DELETE FROM hb_users"));
        blogs.useTransaction(c -> c.execute("DELETE FROM hb_blogs"));
    }

    long count(Engine engine, String table) {
        return engine.withConnection(c -> c.execute("SELECT count(*) FROM " + table).scalar(Long.class));
    }

    /** Committed users, read through a connection of its own. */
    long users() {
        return count(users, "hb_users");
    }

    long blogs() {
        return count(blogs, "hb_blogs");
    }

    /** A committed user's name, or null. */
    String userName(long id) {
        return users.withConnection(c -> c.execute("SELECT name FROM hb_users WHERE id = :id",
                java.util.Map.of("id", id)).scalar(String.class));
    }

    @Override
    public void close() {
        try {
            users.close();
            blogs.close();
        } finally {
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
