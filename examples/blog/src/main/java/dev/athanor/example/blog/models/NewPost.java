package dev.athanor.example.blog.models;

/**
 * A post to write, as the client sent it (validated by the route).
 *
 * @param title the title
 * @param body the text
 */
public record NewPost(String title, String body) {
}
