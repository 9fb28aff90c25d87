package dev.athanor;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** Binds Java values to statement parameters; values are always bound, never spliced into SQL text. */
final class Binder {
    private Binder() {
    }

    static void bind(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            int index = i + 1;
            if (v == null) {
                ps.setNull(index, Types.NULL);
            } else if (v instanceof String) {
                ps.setString(index, (String) v);
            } else if (v instanceof Integer) {
                ps.setInt(index, (Integer) v);
            } else if (v instanceof Long) {
                ps.setLong(index, (Long) v);
            } else if (v instanceof Enum) {
                ps.setString(index, ((Enum<?>) v).name());
            } else if (v instanceof Character) {
                ps.setString(index, v.toString());
            } else if (v instanceof Instant) {
                ps.setTimestamp(index, Timestamp.from((Instant) v));
            } else if (v instanceof java.util.Date && !(v instanceof java.sql.Date || v instanceof java.sql.Time
                    || v instanceof Timestamp)) {
                ps.setTimestamp(index, new Timestamp(((java.util.Date) v).getTime()));
            } else {
                ps.setObject(index, v);
            }
        }
    }
}
