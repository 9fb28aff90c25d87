package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Absurdly long URLs: masking, parsing and building stay linear, and messages quote only the start of the URL.
 *
 * <p>No wall-time assertion: each case has a generous preemptive timeout (10 s for a 2 MB URL, which the linear code
 * handles in about a second on a loaded machine), while the quadratic code it replaced needed minutes (0.8 s for
 * 100 KB of {@code password=}, so about 5 minutes for 2 MB).
 */
class UrlScaleTest {
    private static final int SIZE = 2_000_000;
    private static final Duration BUDGET = Duration.ofSeconds(10);

    static Stream<Arguments> longUrls() {
        return Stream.of(
                Arguments.of("repeated password parameters", "postgresql://u:p@h/db?" + "password=".repeat(SIZE / 9)),
                Arguments.of("repeated key=", "postgresql://u:p@h/db?" + "a=".repeat(SIZE / 2)),
                Arguments.of("one key, many '='", "postgresql://u:p@h/db?x" + "=".repeat(SIZE)),
                Arguments.of("raw jdbc URL of password parameters", "jdbc:postgresql://h/db?"
                        + "password=".repeat(SIZE / 9)),
                Arguments.of("h2 settings of passwords", "h2:mem:x;" + "PASSWORD=".repeat(SIZE / 9)),
                Arguments.of("many parameters", "postgresql://u:p@h/db?" + "a_pwd=123&".repeat(SIZE / 10)),
                Arguments.of("control characters", "postgresql://u:p@h/db?a=" + "\u0001".repeat(SIZE)),
                Arguments.of("long host", "postgresql://u:p@" + "h".repeat(SIZE) + "/db"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longUrls")
    void aLongUrlIsMaskedParsedAndRefusedInLinearTime(String shape, String url) {
        assertTimeoutPreemptively(BUDGET, () -> {
            String masked = Url.mask(url);
            assertThat(masked).doesNotContain("password=password");
            String message = message(() -> Url.parse(url).toString());
            String built = message(() -> Engine.builder(url).poolSize(-1).build().close());
            for (String m : new String[] {message, built}) {
                if (m != null) {
                    assertThat(m.length()).as("message length for %s", shape).isLessThan(2_000);
                }
            }
            assertThat(built).as("building with poolSize -1 fails, naming a problem").isNotNull()
                    .containsAnyOf("poolSize", "control character");
        }, () -> shape + " took longer than " + BUDGET + ": not linear");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longUrls")
    void toStringOfALongUrlIsLinear(String shape, String url) {
        assertTimeoutPreemptively(BUDGET, () -> {
            String message = message(() -> assertThat(Url.parse(url).toString())
                    .hasSizeLessThanOrEqualTo(url.length() + "***".length()));
            assertThat(message == null || message.length() < 2_000).as("%s: %s", shape, message).isTrue();
        });
    }

    @org.junit.jupiter.api.Test
    void anErrorMessageQuotesTheStartOfALongUrlAndItsLength() {
        String url = "postgresql://scott:tiger@" + "h".repeat(SIZE) + ":99x/db";
        String message = message(() -> Url.parse(url));
        assertThat(message).startsWith("Invalid database URL 'postgresql://scott:***@hhh")
                .contains("… (" + (url.length() - "tiger".length() + 3) + " chars)")
                .contains("port").contains("is not a number")
                .doesNotContain("tiger");
        assertThat(message.length()).isLessThan(1_000);
    }

    /** The message of what {@code action} throws, or null when it throws nothing. */
    private static String message(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
