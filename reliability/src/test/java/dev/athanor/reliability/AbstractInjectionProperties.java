package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.Engine;
import dev.athanor.StatementException;
import dev.athanor.internal.Texts;
import dev.athanor.testing.TestDatabase;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.opentest4j.TestAbortedException;

/**
 * Guarantee 8, injection: values are always bound. Hostile strings (quotes, comments, {@code ;}, {@code $$},
 * {@code ::}, {@code :name}, {@code ?}, JDBC escapes, backslashes, Unicode) given as parameter values round-trip
 * unchanged through {@code execute} (named and positional) and {@code executeMany}; given as parameter names they
 * are refused with a {@link StatementException} naming the unknown parameter, and nothing runs. A canary table and
 * the row count show that no statement was altered.
 *
 * <p>Injection does not depend on the pool: the properties run on the first backend under test.
 */
@AddLifecycleHook(AbstractInjectionProperties.SkipWhenUnavailable.class)
abstract class AbstractInjectionProperties {
    static final List<String> FRAGMENTS = List.of("'", "''", "\"", "`", "--", "/*", "*/", ";", "$$", "$tag$", "$1",
            "::", "::text", ":v", ":id", "?", "??", "\\", "\\'", "%", "_", "{fn now()}", "{d '2020-01-01'}",
            "' OR '1'='1", "'; DROP TABLE canary; --", "\"; DELETE FROM t; --", "); TRUNCATE t; (",
            "E'\\x41'", "0x41", "CHAR(65)", "\n", "\r\n", "\t", " ", "é", "\u2019", "\uD83D\uDE00", "ü\u0308",
            "NULL", "null", "SELECT", "#", "@v", "&", "=");

    private Target target;
    private Engine engine;
    private String table;
    private String canary;
    private final AtomicLong ids = new AtomicLong();

    abstract TestDatabase database();

    @BeforeProperty
    void open() {
        target = Target.on(database());
        engine = target.engine(Backends.names().get(0)).poolSize(2).maxOverflow(0).build();
        table = target.table("rel_inject");
        canary = target.table("rel_canary");
        String text = database() == TestDatabase.MARIADB ? "TEXT CHARACTER SET utf8mb4" : "VARCHAR(2000)";
        String suffix = database() == TestDatabase.MARIADB ? " DEFAULT CHARSET=utf8mb4" : "";
        target.admin("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v " + text + ")" + suffix);
        target.admin("CREATE TABLE " + canary + " (id INT PRIMARY KEY)");
        target.admin("INSERT INTO " + canary + " (id) VALUES (1)");
    }

    @AfterProperty
    void close() {
        if (engine == null) {
            if (target != null) {
                target.close();
            }
            return;
        }
        try {
            assertThat(target.adminCount("SELECT count(*) FROM " + canary)).as("canary rows").isEqualTo(1);
            assertThat(engine.status().checkedOut()).isZero();
        } finally {
            engine.close();
            target.close();
        }
    }

    /**
     * jqwik's way to skip: a database or backend that is missing skips the properties with the reason on a developer
     * machine, and fails them when databases are required (CI), like {@link TestDatabase#assumeAvailable()}.
     */
    static final class SkipWhenUnavailable implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            Class<?> container = context.optionalContainerClass().orElse(null);
            if (container == null || Modifier.isAbstract(container.getModifiers())) {
                return SkipResult.doNotSkip();
            }
            try {
                Constructor<?> constructor = container.getDeclaredConstructor();
                constructor.setAccessible(true);
                TestDatabase db = ((AbstractInjectionProperties) constructor.newInstance()).database();
                db.assumeAvailable();
                Backends.require(Backends.names().get(0));
                return SkipResult.doNotSkip();
            } catch (TestAbortedException e) {
                return SkipResult.skip(e.getMessage());
            } catch (AssertionError required) {
                return SkipResult.doNotSkip(); // CI: the property runs and fails with the same message
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make " + container, e);
            }
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> fragment = Arbitraries.oneOf(Arbitraries.of(FRAGMENTS),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6));
        Arbitrary<String> joined = fragment.list().ofMinSize(1).ofMaxSize(8).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(Arbitraries.of(FRAGMENTS), joined);
    }

    @Property
    void hostileValuesRoundTripUnchanged(@ForAll("hostile") String value) {
        long named = ids.incrementAndGet();
        long positional = ids.incrementAndGet();
        long batchA = ids.incrementAndGet();
        long batchB = ids.incrementAndGet();
        String insert = "INSERT INTO " + table + " (id, v) VALUES (:id, :v)";
        engine.useTransaction(c -> {
            assertThat(c.execute(insert, Map.of("id", named, "v", value)).rowCount()).isEqualTo(1);
            assertThat(c.execute("INSERT INTO " + table + " (id, v) VALUES (?, ?)", positional, value).rowCount())
                    .isEqualTo(1);
            c.executeMany(insert, List.of(Map.of("id", batchA, "v", value), Map.of("id", batchB, "v", value)));
        });
        engine.useConnection(c -> {
            for (long id : new long[] {named, positional, batchA, batchB}) {
                assertThat(c.execute("SELECT v FROM " + table + " WHERE id = :id", Map.of("id", id))
                        .scalar(String.class)).as("row %d", id).isEqualTo(value);
            }
            assertThat(c.execute("SELECT count(*) FROM " + table + " WHERE v = ? AND id >= ?", value, named)
                    .scalar(Long.class)).as("this try's rows found by the value").isEqualTo(4);
            assertThat(c.execute("SELECT count(*) FROM " + table).scalar(Long.class)).as("rows in all")
                    .isEqualTo(ids.get());
            assertThat(c.execute("SELECT count(*) FROM " + canary).scalar(Long.class)).isEqualTo(1);
        });
    }

    @Property
    void hostileParameterNamesAreRefusedAndNothingRuns(@ForAll("hostile") String name) {
        Assume.that(!name.equals("id") && !name.equals("v"));
        String insert = "INSERT INTO " + table + " (id, v) VALUES (:id, :v)";
        long before = target.adminCount("SELECT count(*) FROM " + table);
        engine.useConnection(c -> {
            assertThatThrownBy(() -> c.execute(insert, Map.of("id", ids.incrementAndGet(), "v", "x", name, "y")))
                    .isInstanceOfSatisfying(StatementException.class, e -> {
                        assertThat(e).hasMessageContaining("unknown parameter(s) :" + Texts.quoted(name));
                        assertThat(e.sql()).isEqualTo(insert);
                    });
            assertThatThrownBy(() -> c.executeMany(insert, List.of(Map.of("id", ids.incrementAndGet(), "v", "x",
                    name, "y")))).isInstanceOf(StatementException.class).hasMessageContaining("unknown parameter");
            c.commit();
        });
        assertThat(target.adminCount("SELECT count(*) FROM " + table)).as("rows after refused statements")
                .isEqualTo(before);
    }
}
