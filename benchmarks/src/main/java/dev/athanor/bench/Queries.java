package dev.athanor.bench;

import dev.athanor.Row;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The two statements every query path runs, written once in plain JDBC and once with Athanor's API. */
final class Queries {
    private Queries() {
    }

    /** Select-by-primary-key in plain JDBC on {@code c} (no commit: the caller releases the connection). */
    static Item selectJdbc(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no item " + id);
                }
                return new Item(rs.getLong(1), rs.getString(2), rs.getLong(3));
            }
        }
    }

    /** Inserts one entry in plain JDBC and commits; returns the generated id. */
    static long insertJdbc(Connection c, String sql, String name, long amount) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setLong(2, amount);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        c.commit();
        return id;
    }

    /** Select-by-primary-key with Athanor's {@code Connection}. */
    static Item selectAthanor(dev.athanor.Connection c, String sql, long id) {
        return item(c.execute(sql, id).one());
    }

    /** Inserts one entry with Athanor's {@code Connection} and commits; returns the generated id. */
    static long insertAthanor(dev.athanor.Connection c, String sql, String name, long amount) {
        long id = c.execute(sql, name, amount).generatedKeys().scalar(Long.class);
        c.commit();
        return id;
    }

    static Item item(Row row) {
        return new Item(row.get(0, Long.class), row.get(1, String.class), row.get(2, Long.class));
    }
}
