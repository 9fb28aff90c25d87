package dev.athanor.example.blog.services;

import dev.athanor.Row;
import dev.athanor.ScopedSession;
import dev.athanor.Session;
import dev.athanor.StatementException;
import dev.athanor.example.blog.db.Database;
import dev.athanor.example.blog.models.NewPost;
import dev.athanor.example.blog.models.Post;

import java.util.List;
import java.util.Map;

/** Posts, in the blogs database, in the request's session. */
public final class PostService {
    private final ScopedSession<Session> db;

    /** The service over the request sessions of {@code database}. */
    public PostService(Database database) {
        this.db = database.db();
    }

    /**
     * Writes a post of the user with {@code userId} (which the caller checked).
     *
     * @throws ApiException 400 when the blogs table refuses it (a title over 200 characters)
     */
    public Post insert(long userId, NewPost post) {
        try {
            long id = db.execute(Database.BLOGS,
                    "INSERT INTO posts (user_id, title, body) VALUES (:userId, :title, :body)",
                    Map.of("userId", userId, "title", post.title(), "body", post.body()))
                    .generatedKeys().scalar(Long.class);
            return new Post(id, userId, post.title(), post.body());
        } catch (StatementException e) {
            if (Refusals.badValue(e)) {
                throw new ApiException(400, "the blogs database refused the post (a title is at most 200"
                        + " characters): " + e.sqlState());
            }
            throw e;
        }
    }

    /** The posts of the user with {@code userId}, by id. */
    public List<Post> byUser(long userId) {
        return db.execute(Database.BLOGS, "SELECT id, user_id, title, body FROM posts WHERE user_id = :userId"
                + " ORDER BY id", Map.of("userId", userId)).map(PostService::post);
    }

    private static Post post(Row row) {
        return new Post(row.get("id", Long.class), row.get("user_id", Long.class), row.get("title", String.class),
                row.get("body", String.class));
    }
}
