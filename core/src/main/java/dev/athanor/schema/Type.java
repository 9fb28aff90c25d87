package dev.athanor.schema;

import dev.athanor.ConfigurationException;

import java.util.Locale;
import java.util.Objects;

/**
 * A column's SQL type, independent of any database: a {@link Kind} plus the length, precision and scale or time-zone
 * flag that kind takes. Immutable; compares by value. Each dialect renders it in its own spelling when tables are
 * created, and reflection maps a database's types back to these values.
 *
 * <pre>{@code
 * Column.of("id", Type.BIGINT)
 * Column.of("name", Type.varchar(50))
 * Column.of("price", Type.decimal(10, 2))
 * Column.of("created_at", Type.timestamp(true))      // TIMESTAMP WITH TIME ZONE
 * Column.of("ip", Type.opaque("inet"))               // a vendor type, written as given
 * }</pre>
 *
 * <p>A type a database reports but Athanor has no kind for (PostgreSQL {@code inet}, MariaDB {@code TINYINT},
 * {@code CHAR(3)}, ...) is kept by reflection as an {@linkplain #opaque(String) opaque} type carrying the vendor's
 * name, so it is neither dropped nor guessed; creating a table with it writes that name verbatim.
 */
public final class Type {
    /** The families of types Athanor knows across databases. */
    public enum Kind {
        /** 32-bit integer. */
        INTEGER,
        /** 64-bit integer. */
        BIGINT,
        /** 16-bit integer. */
        SMALLINT,
        /** Variable-length text with a maximum {@linkplain #length() length} in characters. */
        VARCHAR,
        /** Text without a declared limit (PostgreSQL {@code TEXT}, H2 {@code CLOB}, MariaDB {@code LONGTEXT}). */
        TEXT,
        /** True/false (MariaDB and MySQL store it as {@code TINYINT(1)}). */
        BOOLEAN,
        /** Exact number with {@linkplain #precision() precision} and {@linkplain #scale() scale}. */
        DECIMAL,
        /** 64-bit floating point. */
        DOUBLE,
        /** A calendar date. */
        DATE,
        /** Date and time, with or without time zone ({@link #withTimeZone()}). */
        TIMESTAMP,
        /** A UUID (native where the database has the type). */
        UUID,
        /** Binary data without a declared limit (PostgreSQL {@code BYTEA}, {@code BLOB} elsewhere). */
        BLOB,
        /** JSON document (PostgreSQL {@code JSONB}). */
        JSON,
        /** A vendor type Athanor does not model, kept by its {@linkplain #vendorName() name}. */
        OPAQUE
    }

    /** {@code INTEGER}. */
    public static final Type INTEGER = new Type(Kind.INTEGER, 0, 0, 0, false, null);
    /** {@code BIGINT}. */
    public static final Type BIGINT = new Type(Kind.BIGINT, 0, 0, 0, false, null);
    /** {@code SMALLINT}. */
    public static final Type SMALLINT = new Type(Kind.SMALLINT, 0, 0, 0, false, null);
    /** Unbounded text. */
    public static final Type TEXT = new Type(Kind.TEXT, 0, 0, 0, false, null);
    /** {@code BOOLEAN}. */
    public static final Type BOOLEAN = new Type(Kind.BOOLEAN, 0, 0, 0, false, null);
    /** {@code DOUBLE PRECISION}. */
    public static final Type DOUBLE = new Type(Kind.DOUBLE, 0, 0, 0, false, null);
    /** {@code DATE}. */
    public static final Type DATE = new Type(Kind.DATE, 0, 0, 0, false, null);
    /**
     * {@code TIMESTAMP} without time zone; same as {@code timestamp(false)}. Fractional seconds are microseconds on
     * PostgreSQL, H2 and MariaDB ({@code DATETIME(6)}); a reflected timestamp of any precision is this type.
     */
    public static final Type TIMESTAMP = new Type(Kind.TIMESTAMP, 0, 0, 0, false, null);
    /** {@code TIMESTAMP WITH TIME ZONE}; same as {@code timestamp(true)}. */
    public static final Type TIMESTAMP_TZ = new Type(Kind.TIMESTAMP, 0, 0, 0, true, null);
    /** {@code UUID}. */
    public static final Type UUID = new Type(Kind.UUID, 0, 0, 0, false, null);
    /** Unbounded binary data. */
    public static final Type BLOB = new Type(Kind.BLOB, 0, 0, 0, false, null);
    /** A JSON document. */
    public static final Type JSON = new Type(Kind.JSON, 0, 0, 0, false, null);

    private final Kind kind;
    private final int length;
    private final int precision;
    private final int scale;
    private final boolean withTimeZone;
    private final String vendorName;

    private Type(Kind kind, int length, int precision, int scale, boolean withTimeZone, String vendorName) {
        this.kind = kind;
        this.length = length;
        this.precision = precision;
        this.scale = scale;
        this.withTimeZone = withTimeZone;
        this.vendorName = vendorName;
    }

    /**
     * {@code VARCHAR(length)}.
     *
     * @throws ConfigurationException when {@code length < 1}
     */
    public static Type varchar(int length) {
        if (length < 1) {
            throw new ConfigurationException("varchar length must be >= 1, was " + length);
        }
        return new Type(Kind.VARCHAR, length, 0, 0, false, null);
    }

    /**
     * {@code DECIMAL(precision, scale)}.
     *
     * @throws ConfigurationException when {@code precision < 1}, {@code scale < 0} or {@code scale > precision}
     */
    public static Type decimal(int precision, int scale) {
        if (precision < 1 || scale < 0 || scale > precision) {
            throw new ConfigurationException("decimal needs precision >= 1 and 0 <= scale <= precision, was ("
                    + precision + ", " + scale + ")");
        }
        return new Type(Kind.DECIMAL, 0, precision, scale, false, null);
    }

    /** {@code TIMESTAMP}, with time zone when {@code withTimeZone}: {@link #TIMESTAMP_TZ} or {@link #TIMESTAMP}. */
    public static Type timestamp(boolean withTimeZone) {
        return withTimeZone ? TIMESTAMP_TZ : TIMESTAMP;
    }

    /**
     * A vendor type Athanor does not model, written verbatim in DDL ({@code "inet"}, {@code "CHAR(3)"},
     * {@code "TINYINT"}). Names compare ignoring case.
     *
     * @throws ConfigurationException when {@code vendorName} is null or blank
     */
    public static Type opaque(String vendorName) {
        if (vendorName == null || vendorName.isBlank()) {
            throw new ConfigurationException("an opaque type needs a vendor type name, was "
                    + (vendorName == null ? "null" : "'" + vendorName + "'"));
        }
        return new Type(Kind.OPAQUE, 0, 0, 0, false, vendorName.trim());
    }

    /** The family of this type. */
    public Kind kind() {
        return kind;
    }

    /** The maximum length of a {@link Kind#VARCHAR}; 0 for other kinds. */
    public int length() {
        return length;
    }

    /** The precision of a {@link Kind#DECIMAL}; 0 for other kinds. */
    public int precision() {
        return precision;
    }

    /** The scale of a {@link Kind#DECIMAL}; 0 for other kinds. */
    public int scale() {
        return scale;
    }

    /** Whether a {@link Kind#TIMESTAMP} carries a time zone; false for other kinds. */
    public boolean withTimeZone() {
        return withTimeZone;
    }

    /** The vendor's name of an {@link Kind#OPAQUE} type; {@code null} for other kinds. */
    public String vendorName() {
        return vendorName;
    }

    /** Whether this is one of the integer kinds (the only ones that may auto-increment). */
    public boolean isInteger() {
        return kind == Kind.INTEGER || kind == Kind.BIGINT || kind == Kind.SMALLINT;
    }

    /** Whether values of this type are numbers (integers, decimals, doubles). */
    public boolean isNumeric() {
        return isInteger() || kind == Kind.DECIMAL || kind == Kind.DOUBLE;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Type)) {
            return false;
        }
        Type t = (Type) o;
        return kind == t.kind && length == t.length && precision == t.precision && scale == t.scale
                && withTimeZone == t.withTimeZone && Objects.equals(vendorKey(), t.vendorKey());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, length, precision, scale, withTimeZone, vendorKey());
    }

    private String vendorKey() {
        return vendorName == null ? null : vendorName.toLowerCase(Locale.ROOT);
    }

    /** A neutral SQL-like spelling: {@code VARCHAR(50)}, {@code DECIMAL(10,2)}, {@code TIMESTAMP WITH TIME ZONE}. */
    @Override
    public String toString() {
        switch (kind) {
            case VARCHAR:
                return "VARCHAR(" + length + ")";
            case DECIMAL:
                return "DECIMAL(" + precision + "," + scale + ")";
            case TIMESTAMP:
                return withTimeZone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case OPAQUE:
                return vendorName;
            default:
                return kind.name();
        }
    }
}
