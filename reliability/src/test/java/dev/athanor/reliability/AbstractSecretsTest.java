package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.Connection;
import dev.athanor.Engine;
import dev.athanor.EngineBuilder;
import dev.athanor.NestedTransaction;
import dev.athanor.Result;
import dev.athanor.Url;
import dev.athanor.testing.TestDatabase;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guarantee 7, secrets: with echo on and every logger at DEBUG, every public path is run with a distinctive password
 * given in the URL or as a connect arg; every log line (Athanor, the pool, the driver, {@code java.util.logging},
 * the console), every exception (message, {@code toString()}, causes, suppressed, stack trace) and every
 * {@code toString()} is collected, and the password appears in none of them.
 */
abstract class AbstractSecretsTest {
    static final String PASSWORD = "Sekr1t-Athanor-" + Long.toHexString(new SecureRandom().nextLong());

    abstract TestDatabase database();

    static Stream<Arguments> backendsAndPlaces() {
        return Backends.names().stream().flatMap(b -> Stream.of(Arguments.of(b, true), Arguments.of(b, false)));
    }

    @ParameterizedTest(name = "{0}, password in URL={1}")
    @MethodSource("backendsAndPlaces")
    @Timeout(60)
    void thePasswordAppearsInNoLogLineExceptionOrToString(String backend, boolean passwordInUrl) {
        List<String> texts = new ArrayList<>();
        int events;
        try (Target target = Target.on(database(), PASSWORD); OutputCapture out = OutputCapture.start()) {
            for (boolean hide : new boolean[] {false, true}) {
                try (Engine engine = target.engine(backend, passwordInUrl).echo(true).hideParameters(hide)
                        .poolSize(1).maxOverflow(0).poolTimeout(Duration.ofMillis(300)).poolPrePing(true).build()) {
                    exercise(engine, target, texts);
                }
            }
            connectFailures(target, backend, passwordInUrl, texts);
            configurationErrors(target, backend, texts);
            events = out.eventCount();
            texts.addAll(out.texts());
        }
        assertThat(events).as("log events captured (the capture works)").isGreaterThan(10);
        List<String> leaks = texts.stream().filter(t -> t != null && t.contains(PASSWORD))
                .map(AbstractSecretsTest::excerpt).distinct().collect(Collectors.toList());
        assertThat(leaks).as("texts that show the password (" + texts.size() + " checked)").isEmpty();
        Figures.of("secrets", backend, database()).put("passwordInUrl", passwordInUrl).put("texts", texts.size())
                .put("logEvents", events).put("leaks", 0).record();
    }

    /**
     * With {@code hideParameters(true)} a bound value stays out of everything, also where the driver's own message
     * quotes it: a duplicate key reports the key's value (PostgreSQL's "Key (v)=(...) already exists", MariaDB's
     * "Duplicate entry '...'", H2's "VALUES ('...')"), in the exception Athanor throws, its causes, and every log
     * line. Both the engine's password and an ordinary value are bound. Not checked: what third-party code logs by
     * itself before Athanor sees the failure ({@link #LOGGED_BEFORE_ATHANOR}, documented on
     * {@code EngineBuilder.hideParameters}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.athanor.reliability.Backends#names")
    @Timeout(60)
    void hiddenParametersStayOutOfDriverCausesAndLogs(String backend) {
        String value = "Bound-Value-" + Long.toHexString(new SecureRandom().nextLong());
        List<String> texts = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        int events;
        try (Target target = Target.on(database(), PASSWORD); OutputCapture out = OutputCapture.start()) {
            try (Engine engine = target.engine(backend, true).echo(true).hideParameters(true).poolSize(1)
                    .maxOverflow(0).build()) {
                String table = target.table("rel_bound");
                engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY,"
                        + " v VARCHAR(200) UNIQUE)"));
                for (String secret : List.of(PASSWORD, value)) {
                    engine.useTransaction(c -> c.execute("INSERT INTO " + table + " (id, v) VALUES (:id, :v)",
                            Map.of("id", secret.length(), "v", secret)));
                    try {
                        engine.useTransaction(c -> c.execute("INSERT INTO " + table + " (id, v) VALUES (?, ?)",
                                secret.length() + 1000, secret));
                    } catch (RuntimeException e) {
                        failures.add(e);
                        texts.addAll(OutputCapture.describe(e));
                    }
                }
                texts.add(engine.status().toString());
            }
            events = out.eventCount();
            texts.addAll(withoutLoggers(out.texts(), LOGGED_BEFORE_ATHANOR));
        }
        assertThat(failures).as("both duplicate inserts failed").hasSize(2)
                .allSatisfy(f -> assertThat(f).isInstanceOf(dev.athanor.StatementException.class));
        assertThat(failures.get(0).getCause()).as("the cause keeps the driver's SQLState")
                .isInstanceOf(java.sql.SQLException.class)
                .extracting(c -> ((java.sql.SQLException) c).getSQLState()).asString().startsWith("23");
        assertThat(events).as("log events captured (the capture works)").isGreaterThan(3);
        List<String> leaks = texts.stream().filter(t -> t != null && (t.contains(PASSWORD) || t.contains(value)))
                .map(t -> t.contains(PASSWORD) ? excerpt(t) : t).distinct().collect(Collectors.toList());
        assertThat(leaks).as("texts that show a bound value (" + texts.size() + " checked)").isEmpty();
    }

    /** Loggers of the MariaDB driver and c3p0 that log a driver's error before it reaches Athanor. */
    static final List<String> LOGGED_BEFORE_ATHANOR = List.of("org.mariadb.jdbc.message.server.ErrorPacket",
            "com.mchange.v2.c3p0.impl.NewPooledConnection", "com.mchange.v2.sql.SqlUtils");

    /**
     * {@link OutputCapture#texts()} without the events of {@code loggers} and the throwable texts that follow each
     * of them (an event is "logger LEVEL message"); the console text, last, is always kept.
     */
    private static List<String> withoutLoggers(List<String> texts, List<String> loggers) {
        List<String> kept = new ArrayList<>();
        boolean skipping = false;
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            boolean event = i == texts.size() - 1 || t.matches("(?s)[\\w.$]+ "
                    + "(TRACE|DEBUG|INFO|WARN|ERROR|SEVERE|WARNING|CONFIG|FINE|FINER|FINEST) .*");
            if (event) {
                skipping = i < texts.size() - 1 && loggers.stream().anyMatch(l -> t.startsWith(l + " "));
            }
            if (!skipping) {
                kept.add(t);
            }
        }
        return kept;
    }

    /** Every engine path: start, statements, echo, errors, savepoints, pool timeout, disconnect, status, dispose. */
    private void exercise(Engine engine, Target target, List<String> texts) {
        texts.add(engine.toString());
        texts.add(engine.url().toString());
        texts.add(engine.dataSource().toString());
        texts.add(engine.status().toString());
        String table = target.table("rel_secret");
        engine.useTransaction(c -> c.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(200))"));
        try (Connection c = engine.connect()) {
            texts.add(c.toString());
            Result r = c.execute("SELECT 1 AS one");
            texts.add(r.toString());
            texts.add(r.one().toString());
            c.execute("INSERT INTO " + table + " (id, v) VALUES (:id, :v)", Map.of("id", 1, "v", "plain"));
            // Statements that carry the password as a bound value: the engine keeps it out of its echo log and of
            // the parameters it renders into error messages, as it does for driver messages. (The failing statement
            // fails for a reason that makes no driver echo the value; a driver's own message is the driver's.)
            c.execute("INSERT INTO " + table + " (id, v) VALUES (:id, :v)", Map.of("id", 2, "v", PASSWORD));
            capture(texts, () -> c.execute("SELECT :v FROM no_such_table", Map.of("v", PASSWORD)));
            c.rollback();
            c.executeMany("INSERT INTO " + table + " (id, v) VALUES (:id, :v)",
                    List.of(Map.of("id", 3, "v", "a"), Map.of("id", 4, "v", PASSWORD)));
            try (NestedTransaction sp = c.beginNested()) {
                c.execute("INSERT INTO " + table + " (id, v) VALUES (?, ?)", 5, PASSWORD);
                texts.add(sp.toString());
                sp.rollback();
            }
            c.commit();
            capture(texts, () -> c.execute("SELECT * FROM no_such_table_" + PASSWORD.length()));
            c.rollback();
            capture(texts, () -> c.execute("SELECT :a, :b", Map.of("a", PASSWORD)));
            capture(texts, () -> c.execute("SELECT :a", Map.of("a", 1, "zz_" + PASSWORD.length(), PASSWORD)));
            texts.add(c.toString());
            capture(texts, () -> engine.connect().close()); // pool of one: times out
            texts.add(engine.status().toString());
        }
        try (Connection c = engine.connect()) {
            long id = Target.serverId(c, target.database());
            c.commit();
            target.kill(id);
            assertThat(Await.until(Duration.ofSeconds(10), () -> !target.serverIds().contains(id)))
                    .as("ms until the killed session %d left the server's list (-1: still there after 10 s)", id)
                    .isNotNegative();
            capture(texts, () -> c.execute("SELECT 1"));
            texts.add(c.toString());
        }
        engine.useConnection(c -> c.execute("SELECT 1")); // pre-ping replaces the killed connection
        try (Connection c = engine.connect()) {
            c.invalidate();
            texts.add(c.toString());
            capture(texts, () -> c.execute("SELECT 1"));
        }
        texts.add(engine.status().toString());
        engine.dispose();
        engine.close();
        texts.add(engine.toString());
        capture(texts, () -> engine.connect().close());
    }

    /** Failing connects: a wrong password where the database checks it, and a database that refuses connections. */
    private void connectFailures(Target target, String backend, boolean passwordInUrl, List<String> texts) {
        if (target.database() != TestDatabase.POSTGRESQL) { // PostgreSQL trusts 127.0.0.1: any password works
            String url = target.engineUrl(passwordInUrl).replace(PASSWORD, PASSWORD + "-wrong");
            var b = Engine.builder(url).pool(backend).poolName(target.tag()).poolTimeout(Duration.ofSeconds(2));
            if (!passwordInUrl) {
                b.connectArg("password", PASSWORD + "-wrong");
                if (target.database() == TestDatabase.H2) {
                    b.connectArg("user", "sa");
                }
            }
            try (Engine wrong = b.build()) {
                capture(texts, () -> wrong.useConnection(c -> c.execute("SELECT 1")));
                texts.add(wrong.status().toString());
            }
        }
        if (target.database() != TestDatabase.H2) {
            TcpProxy proxy = target.proxy();
            proxy.mode(TcpProxy.Mode.REFUSE);
            try (Engine down = target.engine(backend, passwordInUrl).poolTimeout(Duration.ofSeconds(2))
                    .connectTimeout(Duration.ofSeconds(2)).build()) {
                capture(texts, () -> down.useConnection(c -> c.execute("SELECT 1")));
                texts.add(down.toString());
            } finally {
                proxy.mode(TcpProxy.Mode.PASS);
            }
        }
    }

    /** Configuration errors whose input holds the password. */
    private void configurationErrors(Target target, String backend, List<String> texts) {
        String good = target.engineUrl(true);
        build(texts, () -> Engine.builder(good).pool(backend).poolSize(-3).maxOverflow(-5));
        build(texts, () -> Engine.builder(good).pool("no_such_pool"));
        build(texts, () -> Engine.builder(good).pool(backend).backendProperty("noSuchProperty", PASSWORD));
        build(texts, () -> Engine.builder("postgresql://u:" + PASSWORD + "@127.0.0.1:99999x/db"));
        build(texts, () -> Engine.builder("postgresq://u:" + PASSWORD + "@127.0.0.1/db"));
        build(texts, () -> Engine.builder("postgresql://u:" + PASSWORD + "@127.0.0.1:0/db"));
        build(texts, () -> Engine.builder("jdbc:nosuchdriver://h/db?password=" + PASSWORD));
        build(texts, () -> Engine.builder(good).pool(backend).connectArg("password", PASSWORD).poolTimeout(null));
        capture(texts, () -> {
            try (Engine e = Engine.builder("h2:mem:x;PASSWORD=" + PASSWORD + ";NO_SUCH_SETTING=1").pool(backend)
                    .build()) {
                e.useConnection(c -> c.execute("SELECT 1"));
            }
        });
        Map<String, Object> config = new HashMap<>();
        config.put("db.url", good);
        config.put("db.pool", backend);
        config.put("db.pool_size", "many");
        config.put("db.no_such_option", PASSWORD);
        config.put("db.connect_args.password", PASSWORD);
        capture(texts, () -> Engine.fromConfig(config, "db.").close());
        capture(texts, () -> Url.parse("postgresql://u:" + PASSWORD + "@[::1/db"));
        // A lone surrogate: refused where the URL carries the password, taken where it does not (H2 here); the
        // texts of either outcome must hide it.
        either(texts, () -> Url.parse(good).withPassword("\uD800" + PASSWORD));
        texts.add(Url.parse(good).toString());
        texts.add(Url.parse(good).render(true));
        texts.add(Url.mask(good));
        texts.add(Url.parse("jdbc:postgresql://h/db?user=u&password=" + PASSWORD).toString());
    }

    /** The line around the first occurrence of the password. */
    private static String excerpt(String text) {
        int at = text.indexOf(PASSWORD);
        int from = Math.max(text.lastIndexOf('\n', at) + 1, at - 200);
        int to = text.indexOf('\n', at);
        return text.substring(from, to < 0 ? Math.min(text.length(), at + 200) : Math.min(to, at + 200));
    }

    /**
     * Runs {@code action}, which must fail, and keeps every text of the failure. One that does not fail is a test
     * failure: otherwise a kill that killed nothing or a wrong password that was accepted would silently drop the
     * error path it was meant to check.
     */
    private static void capture(List<String> texts, ThrowingRunnable action) {
        Throwable failure = null;
        try {
            action.run();
        } catch (Throwable t) {
            failure = t;
        }
        if (failure == null) {
            // The stack trace names the caller's line, i.e. which action.
            throw new AssertionError("an action that must fail succeeded, so its error texts were not checked");
        }
        texts.addAll(OutputCapture.describe(failure));
    }

    /** Runs {@code action}, which may fail or not, and keeps the texts of what it gave or of its failure. */
    private static void either(List<String> texts, Supplier<Object> action) {
        try {
            texts.add(String.valueOf(action.get()));
        } catch (RuntimeException e) {
            texts.addAll(OutputCapture.describe(e));
        }
    }

    /** Builds the engine (expected to fail); one that builds is closed at once. */
    private static void build(List<String> texts, Supplier<EngineBuilder> builder) {
        capture(texts, () -> builder.get().build().close());
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
