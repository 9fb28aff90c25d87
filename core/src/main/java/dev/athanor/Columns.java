package dev.athanor;

import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a result: labels as the driver gives them, looked up case-insensitively. Shared by its rows. The
 * lookup maps are built on the first lookup by name, so a result read by position (or not by name at all) costs
 * only the label array.
 */
final class Columns {
    private final String[] labels;
    /** Built on the first lookup by name; racy but safe to publish (all fields final), at worst built twice. */
    private Index index;

    private Columns(String[] labels) {
        this.labels = labels;
    }

    private static final class Index {
        final Map<String, Integer> exact;
        final Map<String, Integer> folded;

        Index(String[] labels) {
            exact = new HashMap<>(labels.length * 2);
            folded = new HashMap<>(labels.length * 2);
            for (int i = 0; i < labels.length; i++) {
                exact.putIfAbsent(labels[i], i);
                folded.putIfAbsent(labels[i].toLowerCase(Locale.ROOT), i);
            }
        }
    }

    static Columns of(ResultSetMetaData md) throws SQLException {
        String[] labels = new String[md.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            String label = md.getColumnLabel(i + 1);
            labels[i] = label == null || label.isEmpty() ? md.getColumnName(i + 1) : label;
        }
        return new Columns(labels);
    }

    int size() {
        return labels.length;
    }

    String label(int index) {
        return labels[index];
    }

    List<String> labels() {
        return List.of(labels);
    }

    /** The index of {@code name}: exact match first, then case-insensitive; -1 if absent. */
    int indexOf(String name) {
        Index idx = index;
        if (idx == null) {
            idx = new Index(labels);
            index = idx;
        }
        Integer i = idx.exact.get(name);
        if (i == null) {
            i = idx.folded.get(name.toLowerCase(Locale.ROOT));
        }
        return i == null ? -1 : i;
    }

    /** Reads the current row; LOBs are read into memory because they die with the result set. */
    Row read(ResultSet rs) throws SQLException {
        Object[] values = new Object[labels.length];
        for (int i = 0; i < values.length; i++) {
            Object v = rs.getObject(i + 1);
            if (v instanceof Clob) {
                v = readClob((Clob) v);
            } else if (v instanceof Blob) {
                Blob b = (Blob) v;
                v = b.getBytes(1, (int) b.length());
            }
            values[i] = v;
        }
        return new Row(this, values);
    }

    private static String readClob(Clob clob) throws SQLException {
        StringBuilder sb = new StringBuilder((int) Math.min(clob.length(), 1 << 20));
        char[] buf = new char[8192];
        try (Reader r = clob.getCharacterStream()) {
            int n;
            while ((n = r.read(buf)) > 0) {
                sb.append(buf, 0, n);
            }
        } catch (java.io.IOException e) {
            throw new SQLException("could not read a CLOB value: " + e.getMessage(), e);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(labels);
    }
}
