package dev.athanor.example.blog.models;

/**
 * A user to create, as the client sent it (validated by the route), with an optional first post.
 *
 * @param name the display name
 * @param email the e-mail address
 * @param firstPost a post written in the same unit of work, or null
 */
public record NewUser(String name, String email, NewPost firstPost) {
}
