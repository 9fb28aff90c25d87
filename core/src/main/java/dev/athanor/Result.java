package dev.athanor;

import dev.athanor.internal.Arguments;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What a statement returned. A query's rows are read once, through one of {@link #all()}, {@link #first()},
 * {@link #one()}, {@link #oneOrNull()}, {@link #scalar()}, {@link #scalars(Class)}, {@link #mappings()},
 * {@link #map(RowMapper)} or {@link #stream()}; each of them closes the cursor. A result left unread is closed when
 * its connection commits, rolls back or closes. A DML statement's result has {@link #rowCount()} and, for an INSERT,
 * {@link #generatedKeys()}.
 *
 * <pre>{@code
 * long id = c.execute("INSERT INTO users(name) VALUES (:n)", Map.of("n", "ann")).generatedKeys().scalar(Long.class);
 * List<Map<String, Object>> rows = c.execute("SELECT * FROM users").mappings();
 * try (Stream<Row> rows = c.fetchSize(500).execute("SELECT * FROM big").stream()) { rows.forEach(…); }
 * }</pre>
 */
public final class Result implements AutoCloseable {
    private final Connection owner;
    private final PreparedStatement statement;
    private final ResultSet cursor;
    private final Columns columns;
    private final Iterator<Row> memory;
    private final int rowCount;
    private final List<Row> generatedKeys;
    private boolean closed;

    private Result(Connection owner, PreparedStatement statement, ResultSet cursor, Columns columns,
                   Iterator<Row> memory, int rowCount, List<Row> generatedKeys) {
        this.owner = owner;
        this.statement = statement;
        this.cursor = cursor;
        this.columns = columns;
        this.memory = memory;
        this.rowCount = rowCount;
        this.generatedKeys = generatedKeys;
    }

    static Result cursor(Connection owner, PreparedStatement ps, ResultSet rs) throws SQLException {
        return new Result(owner, ps, rs, Columns.of(rs.getMetaData()), null, -1, List.of());
    }

    static Result update(Connection owner, int rowCount, List<Row> generatedKeys) {
        return new Result(owner, null, null, null, null, rowCount, generatedKeys);
    }

    private static Result rows(Connection owner, List<Row> rows) {
        return new Result(owner, null, null, null, rows.iterator(), -1, List.of());
    }

    /**
     * The fetch size the driver's statement was given for this result (0 for rows already in memory). Whether the
     * driver then reads through a server-side cursor is its own business (pgjdbc does; embedded H2 reads all).
     * Package-private: the engine tests check through it that {@link Connection#fetchSize(int)} reaches the driver.
     */
    int statementFetchSize() throws SQLException {
        return statement == null ? 0 : statement.getFetchSize();
    }

    /** True when the statement returned rows (a query, or DML with RETURNING). */
    public boolean returnsRows() {
        return cursor != null || memory != null;
    }

    /** Rows changed by a DML statement; -1 for a query. */
    public int rowCount() {
        return rowCount;
    }

    /** The keys an INSERT generated (empty for other statements), as a result of their own. */
    public Result generatedKeys() {
        return rows(owner, generatedKeys);
    }

    /** Every row. */
    public List<Row> all() {
        List<Row> rows = new ArrayList<>();
        forEachRow(rows::add);
        return rows;
    }

    /** The first row, or null if there is none; the rest are discarded. */
    public Row first() {
        try {
            return next();
        } finally {
            close();
        }
    }

    /** Exactly one row, else {@link NoResultException} or {@link MultipleResultsException}. */
    public Row one() {
        Row row = oneOrNull();
        if (row == null) {
            throw new NoResultException("[" + owner.poolName() + "] no row was found when one was required");
        }
        return row;
    }

    /** One row or null; more than one is a {@link MultipleResultsException}. */
    public Row oneOrNull() {
        try {
            Row row = next();
            if (row != null && next() != null) {
                throw new MultipleResultsException("[" + owner.poolName()
                        + "] multiple rows were found when at most one was required");
            }
            return row;
        } finally {
            close();
        }
    }

    /** The first column of the first row; null when there is no row. */
    public Object scalar() {
        Row row = first();
        return row == null ? null : row.get(0);
    }

    /** {@link #scalar()} converted to {@code type}. */
    public <T> T scalar(Class<T> type) {
        Arguments.notNull(type, "type");
        Row row = first();
        return row == null ? null : row.get(0, type);
    }

    /** The first column of every row, converted to {@code type}. */
    public <T> List<T> scalars(Class<T> type) {
        Arguments.notNull(type, "type");
        List<T> values = new ArrayList<>();
        forEachRow(row -> values.add(row.get(0, type)));
        return values;
    }

    /** Every row as a column → value map. */
    public List<Map<String, Object>> mappings() {
        List<Map<String, Object>> maps = new ArrayList<>();
        forEachRow(row -> maps.add(row.asMap()));
        return maps;
    }

    /** Every row mapped by {@code mapper}. */
    public <T> List<T> map(RowMapper<T> mapper) {
        Arguments.notNull(mapper, "mapper");
        List<T> values = new ArrayList<>();
        forEachRow(row -> values.add(mapper.map(row)));
        return values;
    }

    /**
     * The rows as a lazy stream, read from the database {@code fetchSize} rows at a time (set with
     * {@link Connection#fetchSize(int)} or the engine's {@code fetchSize}). Close the stream (try-with-resources)
     * when done early; reading it to the end closes it too.
     */
    public Stream<Row> stream() {
        requireRows();
        Spliterator<Row> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Row> action) {
                Row row = next();
                if (row == null) {
                    close();
                    return false;
                }
                action.accept(row);
                return true;
            }
        };
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    /** Column labels of a query result. */
    public List<String> columns() {
        requireRows();
        if (columns != null) {
            return columns.labels();
        }
        return generatedKeys.isEmpty() ? List.of() : generatedKeys.get(0).columns();
    }

    private void forEachRow(Consumer<Row> action) {
        try {
            Row row;
            while ((row = next()) != null) {
                action.accept(row);
            }
        } finally {
            close();
        }
    }

    private Row next() {
        requireRows();
        if (closed) {
            throw new IllegalStateException("[" + owner.poolName() + "] this result was already read or closed;"
                    + " rows can be read once");
        }
        if (memory != null) {
            return memory.hasNext() ? memory.next() : null;
        }
        try {
            return cursor.next() ? columns.read(cursor) : null;
        } catch (SQLException e) {
            close();
            throw owner.failure("(fetching rows)", List.of(), new Object[0], e);
        }
    }

    private void requireRows() {
        if (!returnsRows()) {
            throw new IllegalStateException("[" + owner.poolName() + "] this result returns no rows: the statement"
                    + " was not a query (rowCount " + rowCount + "); use rowCount() or generatedKeys()");
        }
    }

    /** Releases the cursor; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cursor != null) {
            Connection.closeQuietly(cursor);
            Connection.closeQuietly(statement);
            owner.untrack(this);
        }
    }

    @Override
    public String toString() {
        return returnsRows() ? "Result[rows" + (closed ? ", closed" : "") + "]" : "Result[rowCount=" + rowCount + "]";
    }
}
