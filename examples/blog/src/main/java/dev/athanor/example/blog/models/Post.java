package dev.athanor.example.blog.models;

/**
 * A blog post, a row of the blogs database's {@code posts} table; {@code userId} refers to a user of the other
 * database, so no foreign key can enforce it: the service checks it.
 *
 * @param id the generated key
 * @param userId the author's id in the users database
 * @param title at most 200 characters, enforced by the table
 * @param body the text
 */
public record Post(long id, long userId, String title, String body) {
}
