package dev.athanor.testing.stub;

import java.math.BigDecimal;
import java.sql.JDBCType;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Describes the columns of a {@link StubResultSet}. A test fixture, not shipped.
 *
 * <p>Names and labels are the labels the result set was built with; a column's type is taken from its first
 * non-null value ({@link Types#OTHER} and {@code java.lang.Object} when every value is null). Table, schema and
 * catalog are empty strings.
 */
public final class StubResultSetMetaData implements ResultSetMetaData {
    private final String[] labels;
    private final List<Object[]> rows;

    StubResultSetMetaData(String[] labels, List<Object[]> rows) {
        this.labels = labels;
        this.rows = rows;
    }

    @Override
    public int getColumnCount() {
        return labels.length;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return labels[index(column)];
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return labels[index(column)];
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        Class<?> type = valueClass(column);
        if (type == Integer.class) {
            return Types.INTEGER;
        } else if (type == Long.class) {
            return Types.BIGINT;
        } else if (type == Short.class) {
            return Types.SMALLINT;
        } else if (type == String.class) {
            return Types.VARCHAR;
        } else if (type == Boolean.class) {
            return Types.BOOLEAN;
        } else if (type == Double.class) {
            return Types.DOUBLE;
        } else if (type == Float.class) {
            return Types.REAL;
        } else if (type == BigDecimal.class) {
            return Types.NUMERIC;
        } else if (type == byte[].class) {
            return Types.VARBINARY;
        }
        return Types.OTHER;
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        return JDBCType.valueOf(getColumnType(column)).getName();
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return valueClass(column).getName();
    }

    @Override
    public int isNullable(int column) throws SQLException {
        index(column);
        return columnNullableUnknown;
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        index(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return valueClass(column) == String.class;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        index(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        index(column);
        return false;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        return Number.class.isAssignableFrom(valueClass(column));
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        index(column);
        return Integer.MAX_VALUE;
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        index(column);
        return 0;
    }

    @Override
    public int getScale(int column) throws SQLException {
        index(column);
        return 0;
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        index(column);
        return "";
    }

    @Override
    public String getTableName(int column) throws SQLException {
        index(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        index(column);
        return "";
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        index(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        index(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        index(column);
        return false;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return StubSupport.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    private int index(int column) throws SQLException {
        if (column < 1 || column > labels.length) {
            throw new SQLException("stub: column index must be 1.." + labels.length + ", was " + column, "07009");
        }
        return column - 1;
    }

    private Class<?> valueClass(int column) throws SQLException {
        int index = index(column);
        for (Object[] row : rows) {
            if (row[index] != null) {
                return row[index].getClass();
            }
        }
        return Object.class;
    }
}
