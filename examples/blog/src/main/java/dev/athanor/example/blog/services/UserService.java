package dev.athanor.example.blog.services;

import dev.athanor.Row;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.StatementException;
import dev.athanor.example.blog.db.Database;
import dev.athanor.example.blog.models.NewUser;
import dev.athanor.example.blog.models.Post;
import dev.athanor.example.blog.models.User;

import java.util.List;
import java.util.Map;

/**
 * Users, in the users database. Every method runs in the request's session; none commits: the request's end does,
 * for the users and the blogs database together.
 */
public final class UserService {
    private final ScopedSession<Session> db;
    private final PostService posts;

    /** The service over the request sessions of {@code database}. */
    public UserService(Database database, PostService posts) {
        this.db = database.db();
        this.posts = posts;
    }

    /**
     * Creates a user, and its first post in the blogs database when given: one unit of work, so when the post is
     * refused the user is not kept either.
     *
     * @throws ApiException 409 when the e-mail exists, 400 when the database refuses a value
     */
    public CreatedUser create(NewUser user) {
        long id;
        try {
            id = db.execute(Database.USERS, "INSERT INTO users (name, email) VALUES (:name, :email)",
                    Map.of("name", user.name(), "email", user.email())).generatedKeys().scalar(Long.class);
        } catch (StatementException e) {
            if (Refusals.duplicate(e)) {
                throw new ApiException(409, "a user with e-mail " + user.email() + " already exists");
            }
            if (Refusals.badValue(e)) {
                throw new ApiException(400, "the users database refused the user: " + e.sqlState());
            }
            throw e;
        }
        Post first = user.firstPost() == null ? null : posts.insert(id, user.firstPost());
        return new CreatedUser(new User(id, user.name(), user.email()), first);
    }

    /** Every user, by id. */
    public List<User> all() {
        return db.execute(Database.USERS, "SELECT id, name, email FROM users ORDER BY id", Map.of())
                .map(UserService::user);
    }

    /**
     * The user with {@code id}.
     *
     * @throws ApiException 404 when there is none
     */
    public User find(long id) {
        Row row = db.execute(Database.USERS, "SELECT id, name, email FROM users WHERE id = :id", Map.of("id", id))
                .oneOrNull();
        if (row == null) {
            throw new ApiException(404, "no user with id " + id);
        }
        return user(row);
    }

    private static User user(Row row) {
        return new User(row.get("id", Long.class), row.get("name", String.class), row.get("email", String.class));
    }

    /**
     * A user just created, and its first post if one was given.
     *
     * @param user the user
     * @param firstPost the post, or null
     */
    public record CreatedUser(User user, Post firstPost) {
    }
}
