package dev.athanor;

import dev.athanor.internal.Arguments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a {@link Result}. Columns are addressed by 0-based position (like a tuple) or by label, matched
 * exactly first and then case-insensitively (H2 reports {@code ID}, PostgreSQL {@code id}: {@code get("id")} works on
 * both).
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** The value at 0-based {@code index}, as the driver returned it. */
    public Object get(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column index " + index + " is out of range: the row has "
                    + values.length + " columns " + columns);
        }
        return values[index];
    }

    /** The value of column {@code name}, as the driver returned it. */
    public Object get(String name) {
        return values[index(name)];
    }

    /** The value of column {@code name} converted to {@code type} (numbers widened or narrowed, dates mapped). */
    public <T> T get(String name, Class<T> type) {
        int i = index(name);
        return Conversions.convert(values[i], type, columns.label(i));
    }

    /** The value at 0-based {@code index} converted to {@code type}. */
    public <T> T get(int index, Class<T> type) {
        return Conversions.convert(get(index), type, columns.label(index));
    }

    /** Number of columns. */
    public int size() {
        return values.length;
    }

    /** Column labels, in order. */
    public List<String> columns() {
        return columns.labels();
    }

    /** Label → value, in column order, labels as the driver reported them. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(columns.label(i), values[i]);
        }
        return map;
    }

    private int index(String name) {
        Arguments.notNull(name, "column name");
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in this row; columns: " + columns);
        }
        return i;
    }

    @Override
    public String toString() {
        return "Row" + asMap();
    }
}
