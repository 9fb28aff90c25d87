package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever options and URL a user gives, {@code build()} either makes an engine or throws
 * {@link ConfigurationException}, and the password never shows in the message.
 */
class EngineBuilderPropertyTest {

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("postgresql://scott:%s@127.0.0.1:5432/test", "mariadb://root:%s@127.0.0.1/test",
                        "h2:mem:x", "jdbc:h2:mem:y;PASSWORD=%s", "postgresql://scott:%s@host:99999/db",
                        "mysql+mariadb://u:%s@h/d?password=%s", "nope://u:%s@h/d", "jdbc:stub:p;password=%s"));
    }

    @Property(tries = 300)
    void buildNeverThrowsAnythingButConfigurationExceptionAndNeverShowsThePassword(
            @ForAll("urls") String template,
            @ForAll @AlphaChars @StringLength(min = 6, max = 12) String secretTail,
            @ForAll("sizes") int poolSize, @ForAll("sizes") int maxOverflow,
            @ForAll("millis") long timeoutMillis, @ForAll("millis") long recycleMillis,
            @ForAll("pools") String pool) {
        String password = "Sekr1t" + secretTail;
        String url = template.replace("%s", password);
        Engine engine = null;
        try {
            engine = Engine.builder(url).pool(pool).poolSize(poolSize).maxOverflow(maxOverflow)
                    .poolTimeout(Duration.ofMillis(timeoutMillis))
                    .poolRecycle(recycleMillis == 0 ? null : Duration.ofMillis(recycleMillis))
                    .build();
            assertThat(engine.toString()).doesNotContain(password);
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).doesNotContain(password);
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(-3, 20);
    }

    @Provide
    Arbitrary<Long> millis() {
        return Arbitraries.longs().between(-5, 5000);
    }

    @Provide
    Arbitrary<String> pools() {
        return Arbitraries.of(null, "null", "static", "nope", "");
    }
}
