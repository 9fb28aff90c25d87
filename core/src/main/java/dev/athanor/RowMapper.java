package dev.athanor;

/**
 * Maps a {@link Row} to an object.
 *
 * <pre>{@code
 * List<User> users = result.map(r -> new User(r.get("id", Long.class), r.get("name", String.class)));
 * }</pre>
 */
@FunctionalInterface
public interface RowMapper<T> {
    T map(Row row);
}
