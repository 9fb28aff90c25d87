package dev.athanor.example.blog.models;

/**
 * A user, a row of the users database's {@code users} table.
 *
 * @param id the generated key
 * @param name the display name
 * @param email the e-mail address, unique
 */
public record User(long id, String name, String email) {
}
