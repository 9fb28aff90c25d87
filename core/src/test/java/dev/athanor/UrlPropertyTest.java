package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link Url#parse} over generated input: it fails with nothing but {@link ConfigurationException},
 * and a password never shows in {@code toString()}, {@code render(true)}, {@link Url#mask} or an error message.
 */
class UrlPropertyTest {
    /** Characters that carry structure in the URL forms, to make generated text hit every branch. */
    private static final String URL_CHARS = ":/@?&=%;+[].,#~-_ \tAaFf09Zz";

    private static final List<String> TEMPLATES = List.of(
            "postgresql://{a}",
            "postgresql://scott:{a}@localhost:5432/{b}",
            "mysql+mariadb://{a}@{b}",
            "mariadb://{a}:{b}/db",
            "postgresql://[{a}]:{b}/db",
            "postgresql://host/db?{a}&{b}",
            "postgresql://host/db?password={a}&user={b}",
            "h2://{a}/{b}",
            "h2:mem:{a};{b}",
            "h2:file:{a}",
            "h2:{a}",
            "sqlite://{a}?{b}",
            "jdbc:{a}:{b}",
            "jdbc:postgresql://{a}",
            "{a}://{b}",
            "{a}:{b}@host/db");

    /** Templates with the password in a place where it is a password, whatever the junk spliced next to it. */
    private static final List<String> SECRET_TEMPLATES = List.of(
            "postgresql://scott:{pw}@localhost:5432/test",
            "postgresql://scott:{pw}{junk}@host/db",
            "postgresql://scott:{junk}{pw}@host/db",
            "postgresql://scott:{pw}/{junk}@host/db",
            "postgresql://scott:{pw}@{junk}",
            "postgresql://scott:{pw}@host/db{junk}",
            "postgresql://{junk}:{pw}@host/db",
            "mysql+mariadb://scott:{pw}@host:{junk}/db",
            "{junk}://scott:{pw}@host/db",
            "postgresql://host/db?password={pw}",
            "postgresql://host/db?password={pw}{junk}",
            "postgresql://host/db?{junk}&password={pw}",
            "postgresql://scott:{pw}@host/db?password={junk}",
            "sqlite:///{junk}?password={pw}",
            "jdbc:postgresql://host/db?user=scott&password={pw}{junk}",
            "jdbc:mysql://scott:{pw}@host/{junk}",
            "jdbc:oracle:thin:scott/{pw}@//host:1521/{junk}",
            "jdbc:h2:mem:x;USER=sa;PASSWORD={pw}",
            "h2:mem:{junk};PASSWORD={pw}",
            "scott:{pw}@host/db",
            "{junk}password={pw}");

    @Property(tries = 1000)
    void anyStringParsesOrFailsWithConfigurationException(@ForAll("text") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property(tries = 1000)
    void stringsSplicedIntoUrlTemplatesParseOrFailWithConfigurationException(
            @ForAll("templates") String template, @ForAll("text") String a, @ForAll("text") String b) {
        assertParsesOrFailsCleanly(template.replace("{a}", a).replace("{b}", b));
    }

    @Property(tries = 1000)
    void aPasswordNeverLeaks(@ForAll("secretTemplates") String template, @ForAll("passwords") String password,
            @ForAll("text") String junk) {
        String text = template.replace("{pw}", password).replace("{junk}", junk);

        assertThat(Url.mask(text)).doesNotContain(password);
        try {
            Url url = Url.parse(text);
            assertThat(url.toString()).doesNotContain(password);
            assertThat(url.render(true)).doesNotContain(password);
            assertThat(url.withPassword(password).toString()).doesNotContain(password);
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).doesNotContain(password);
        }
    }

    private static void assertParsesOrFailsCleanly(String text) {
        Url url;
        try {
            url = Url.parse(text);
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).startsWith("Invalid database URL '").doesNotContain("unexpected parser failure");
            return;
        }
        // Whatever parses must also render, copy and re-parse without surprises.
        assertThat(url.toString()).isNotNull();
        assertThat(url.jdbcUrl()).startsWith("jdbc:");
        assertThat(url.driverProperties()).isNotNull();
        assertThat(Url.parse(url.render(false))).isEqualTo(url);
        Url changed = url.withPassword("n3w:p@ss/w?rd");
        assertThat(changed.password()).isEqualTo("n3w:p@ss/w?rd");
        assertThat(changed.jdbcUrl()).isEqualTo(url.jdbcUrl());
        assertThat(changed.withPassword(null).password()).isNull();
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars(URL_CHARS).ofMaxLength(40),
                Arbitraries.strings().withChars(URL_CHARS).alpha().numeric().ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(TEMPLATES);
    }

    @Provide
    Arbitrary<String> secretTemplates() {
        return Arbitraries.of(SECRET_TEMPLATES);
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(8).ofMaxLength(16).map(s -> "Sekr1t" + s);
    }
}
