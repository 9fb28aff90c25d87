package dev.athanor;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link Engine#fromConfig}: reads engine options from a map. Option names match camelCase or snake_case
 * ({@code poolSize}, {@code pool_size}); values may be strings or already-typed objects. Durations are seconds
 * ({@code 30}, {@code 0.5}), with a unit ({@code 500ms}, {@code 30s}, {@code 2m}) or ISO-8601 ({@code PT30S}).
 */
final class EngineConfig {
    static final List<String> KNOWN = List.of("url", "pool", "poolName", "poolSize", "maxOverflow", "poolTimeout",
            "poolRecycle", "poolPrePing", "resetOnReturn", "useLifo", "echo", "hideParameters", "connectTimeout",
            "isolationLevel", "transactionPooling", "fetchSize", "leakThreshold", "slowQueryThreshold", "connectArgs.<name>", "backend.<name>");

    private EngineConfig() {
    }

    static EngineBuilder builderFrom(Map<?, ?> config, String prefix) {
        if (config == null) {
            throw new ConfigurationException("config must not be null");
        }
        String pre = prefix == null ? "" : prefix;
        Object url = null;
        List<Map.Entry<String, Object>> options = new ArrayList<>();
        for (Map.Entry<?, ?> e : config.entrySet()) {
            if (!(e.getKey() instanceof String) || !((String) e.getKey()).startsWith(pre)) {
                continue;
            }
            String key = ((String) e.getKey()).substring(pre.length());
            if (normalize(key).equals("url")) {
                url = e.getValue();
            } else {
                options.add(Map.entry(key, e.getValue() == null ? "" : e.getValue()));
            }
        }
        if (url == null) {
            throw new ConfigurationException("no '" + pre + "url' in the configuration; known options after '" + pre
                    + "': " + String.join(", ", KNOWN));
        }
        EngineBuilder b = Engine.builder(String.valueOf(url));
        for (Map.Entry<String, Object> option : options) {
            apply(b, pre, option.getKey(), option.getValue());
        }
        return b;
    }

    private static void apply(EngineBuilder b, String prefix, String key, Object value) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String argsPrefix : new String[] {"connectargs.", "connect_args."}) {
            if (lower.startsWith(argsPrefix) && key.length() > argsPrefix.length()) {
                b.connectArg(key.substring(argsPrefix.length()), String.valueOf(value));
                return;
            }
        }
        if (lower.startsWith("backend.") && key.length() > "backend.".length()) {
            b.backendProperty(key.substring("backend.".length()), String.valueOf(value));
            return;
        }
        Reader r = new Reader(b, prefix + key, value);
        switch (normalize(key)) {
            case "pool":
            case "poolclass":
                b.pool(r.string());
                break;
            case "poolname":
                b.poolName(r.string());
                break;
            case "poolsize":
                r.integer(EngineBuilder::poolSize);
                break;
            case "maxoverflow":
                r.integer(EngineBuilder::maxOverflow);
                break;
            case "pooltimeout":
                r.duration(EngineBuilder::poolTimeout);
                break;
            case "poolrecycle":
                r.duration((builder, d) -> builder.poolRecycle(d.isNegative() ? null : d));
                break;
            case "poolpreping":
                r.bool(EngineBuilder::poolPrePing);
                break;
            case "resetonreturn":
            case "poolresetonreturn":
                r.choice(ResetOnReturn.class, EngineBuilder::resetOnReturn);
                break;
            case "uselifo":
            case "pooluselifo":
                r.bool(EngineBuilder::useLifo);
                break;
            case "echo":
                r.bool(EngineBuilder::echo);
                break;
            case "hideparameters":
                r.bool(EngineBuilder::hideParameters);
                break;
            case "connecttimeout":
                r.duration(EngineBuilder::connectTimeout);
                break;
            case "isolationlevel":
                r.choice(IsolationLevel.class, EngineBuilder::isolationLevel);
                break;
            case "transactionpooling":
                r.bool(EngineBuilder::transactionPooling);
                break;
            case "fetchsize":
                r.integer(EngineBuilder::fetchSize);
                break;
            case "leakthreshold":
                r.duration(EngineBuilder::leakThreshold);
                break;
            case "slowquerythreshold":
                r.duration(EngineBuilder::slowQueryThreshold);
                break;
            default:
                b.problem("unknown option " + EngineBuilder.shown(prefix + key) + "; known options after '" + prefix
                        + "': " + String.join(", ", KNOWN));
        }
    }

    static String normalize(String key) {
        return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Converts one value, recording a problem (named by its full key) instead of throwing. */
    private static final class Reader {
        private final EngineBuilder b;
        private final String key;
        private final Object value;

        Reader(EngineBuilder b, String key, Object value) {
            this.b = b;
            this.key = key;
            this.value = value;
        }

        String string() {
            return String.valueOf(value).strip();
        }

        void integer(BiConsumer<EngineBuilder, Integer> setter) {
            if (value instanceof Integer) {
                setter.accept(b, (Integer) value);
                return;
            }
            try {
                setter.accept(b, Integer.parseInt(string()));
            } catch (NumberFormatException e) {
                b.problem(key + " must be a whole number, was " + EngineBuilder.shown(String.valueOf(value)));
            }
        }

        void bool(BiConsumer<EngineBuilder, Boolean> setter) {
            if (value instanceof Boolean) {
                setter.accept(b, (Boolean) value);
                return;
            }
            String s = string().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1") || s.equals("yes")) {
                setter.accept(b, true);
            } else if (s.equals("false") || s.equals("0") || s.equals("no")) {
                setter.accept(b, false);
            } else {
                b.problem(key + " must be true or false, was " + EngineBuilder.shown(String.valueOf(value)));
            }
        }

        <E extends Enum<E>> void choice(Class<E> type, BiConsumer<EngineBuilder, E> setter) {
            if (type.isInstance(value)) {
                setter.accept(b, type.cast(value));
                return;
            }
            String s = string().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(s)) {
                    setter.accept(b, constant);
                    return;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
            }
            b.problem(key + " must be one of " + String.join(", ", names) + ", was "
                    + EngineBuilder.shown(String.valueOf(value)));
        }

        void duration(BiConsumer<EngineBuilder, Duration> setter) {
            if (value instanceof Duration) {
                setter.accept(b, (Duration) value);
                return;
            }
            try {
                setter.accept(b, parseDuration(string()));
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                b.problem(key + " must be a duration in seconds (30, 0.5), with a unit (500ms, 30s, 2m) or ISO-8601"
                        + " (PT30S), was " + EngineBuilder.shown(String.valueOf(value)));
            }
        }
    }

    static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("-pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofNanos(new BigDecimal(t.substring(0, t.length() - 2).strip())
                    .movePointRight(6).toBigIntegerExact().longValueExact());
        }
        long unitSeconds = 1;
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            t = t.substring(0, t.length() - 1);
            unitSeconds = 60;
        } else if (t.endsWith("h")) {
            t = t.substring(0, t.length() - 1);
            unitSeconds = 3600;
        }
        BigDecimal seconds = new BigDecimal(t.strip()).multiply(BigDecimal.valueOf(unitSeconds));
        return Duration.ofNanos(seconds.movePointRight(9).toBigIntegerExact().longValueExact());
    }
}
