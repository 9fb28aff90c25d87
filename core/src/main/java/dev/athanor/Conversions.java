package dev.athanor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/** Converts driver values to the type a caller asks for; the conversions every driver needs, nothing clever. */
final class Conversions {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class, double.class, Double.class, float.class, Float.class,
            boolean.class, Boolean.class, char.class, Character.class);

    private Conversions() {
    }

    @SuppressWarnings("unchecked")
    static <T> T convert(Object value, Class<T> type, String column) {
        Class<?> target = type.isPrimitive() ? BOXES.get(type) : type;
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("column '" + column + "' is NULL and cannot be read as " + type);
            }
            return null;
        }
        if (target.isInstance(value)) {
            return (T) target.cast(value);
        }
        Object converted = convertNonNull(value, target);
        if (converted == null) {
            throw new IllegalArgumentException("column '" + column + "' holds a " + value.getClass().getName()
                    + " that cannot be read as " + type.getName());
        }
        return (T) converted;
    }

    private static Object convertNonNull(Object v, Class<?> t) {
        if (t == String.class) {
            return v instanceof byte[] ? null : v.toString();
        }
        if (v instanceof Number) {
            return number((Number) v, t);
        }
        if (t == Boolean.class) {
            if (v instanceof String) {
                String s = ((String) v).strip();
                return s.equalsIgnoreCase("true") || s.equals("1") ? Boolean.TRUE
                        : s.equalsIgnoreCase("false") || s.equals("0") ? Boolean.FALSE : null;
            }
            return null;
        }
        if (v instanceof Timestamp) {
            return timestamp((Timestamp) v, t);
        }
        if (v instanceof java.sql.Date && t == LocalDate.class) {
            return ((java.sql.Date) v).toLocalDate();
        }
        if (v instanceof java.sql.Time && t == LocalTime.class) {
            return ((java.sql.Time) v).toLocalTime();
        }
        if (v instanceof OffsetDateTime) {
            OffsetDateTime o = (OffsetDateTime) v;
            return t == Instant.class ? o.toInstant() : t == LocalDateTime.class
                    ? o.atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalDateTime() : null;
        }
        if (v instanceof LocalDateTime) {
            LocalDateTime l = (LocalDateTime) v;
            return t == Timestamp.class ? Timestamp.valueOf(l) : t == LocalDate.class ? l.toLocalDate()
                    : t == Instant.class ? Timestamp.valueOf(l).toInstant() : null;
        }
        if (t == UUID.class) {
            if (v instanceof String) {
                return UUID.fromString(((String) v).strip());
            }
            if (v instanceof byte[] && ((byte[]) v).length == 16) {
                ByteBuffer b = ByteBuffer.wrap((byte[]) v);
                return new UUID(b.getLong(), b.getLong());
            }
            return null;
        }
        if (t.isEnum() && v instanceof String) {
            for (Object constant : t.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(v)) {
                    return constant;
                }
            }
            return null;
        }
        return null;
    }

    private static Object number(Number n, Class<?> t) {
        if (t == Long.class) {
            return n.longValue();
        }
        if (t == Integer.class) {
            return Math.toIntExact(n.longValue());
        }
        if (t == Short.class) {
            return n.shortValue();
        }
        if (t == Byte.class) {
            return n.byteValue();
        }
        if (t == Double.class) {
            return n.doubleValue();
        }
        if (t == Float.class) {
            return n.floatValue();
        }
        if (t == BigDecimal.class) {
            return n instanceof BigInteger ? new BigDecimal((BigInteger) n) : new BigDecimal(n.toString());
        }
        if (t == BigInteger.class) {
            return n instanceof BigDecimal ? ((BigDecimal) n).toBigInteger() : BigInteger.valueOf(n.longValue());
        }
        if (t == Boolean.class) {
            return n.intValue() != 0;
        }
        return null;
    }

    private static Object timestamp(Timestamp ts, Class<?> t) {
        if (t == LocalDateTime.class) {
            return ts.toLocalDateTime();
        }
        if (t == Instant.class) {
            return ts.toInstant();
        }
        if (t == LocalDate.class) {
            return ts.toLocalDateTime().toLocalDate();
        }
        if (t == OffsetDateTime.class) {
            return ts.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }
}
