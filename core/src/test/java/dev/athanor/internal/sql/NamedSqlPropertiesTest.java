package dev.athanor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.StatementException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties over generated text; they use {@code parseUncached} so as not to fill the shared cache. */
class NamedSqlPropertiesTest {

    @Property
    void textWithoutColonsIsPassedThroughUnchanged(@ForAll("textWithoutColons") String sql) {
        NamedSql parsed = NamedSql.parseUncached(sql);

        assertThat(parsed.jdbcSql()).isEqualTo(sql);
        assertThat(parsed.parameterOrder()).isEmpty();
        assertThat(parsed.parameterNames()).isEmpty();
        assertThat(parsed.bind(Map.of())).isEmpty();
    }

    @Property
    void generatedBindsAreFoundInOrder(@ForAll("identifierLists") List<String> names) {
        String sql = names.stream().map(name -> ":" + name).collect(Collectors.joining(", ", "SELECT ", ""));
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            params.putIfAbsent(names.get(i), "value-of-" + names.get(i));
        }

        NamedSql parsed = NamedSql.parseUncached(sql);

        assertThat(parsed.parameterOrder()).isEqualTo(names);
        assertThat(parsed.parameterNames()).containsExactlyElementsOf(names.stream().distinct()
                .collect(Collectors.toList()));
        assertThat(parsed.jdbcSql()).isEqualTo(names.stream().map(name -> "?")
                .collect(Collectors.joining(", ", "SELECT ", "")));
        assertThat(parsed.bind(params)).containsExactly(names.stream().map(name -> "value-of-" + name).toArray());
    }

    /**
     * Whatever mix of quotes, comments, dollar quotes and colons: the lexer terminates, fails only with the documented
     * mixing error, and removes exactly the bind names from the text (each {@code :name} becomes one {@code ?}).
     */
    @Property(tries = 2_000)
    void anyMixOfSyntaxLexesWithoutRunningPastTheEnd(@ForAll("sqlFragments") String sql) {
        NamedSql parsed;
        try {
            parsed = NamedSql.parseUncached(sql);
        } catch (StatementException e) {
            assertThat(e).hasMessageContaining("mixes :name and ? parameters");
            return;
        }
        int removed = parsed.parameterOrder().stream().mapToInt(String::length).sum();
        assertThat(parsed.jdbcSql()).hasSize(sql.length() - removed);
        assertThat(parsed.sql()).isSameAs(sql);
    }

    @Provide
    Arbitrary<String> textWithoutColons() {
        Arbitrary<String> anything = Arbitraries.strings().all().excludeChars(':').ofMaxLength(200);
        Arbitrary<String> sqlish = Arbitraries.strings().withChars("'\"`$?-/*#()\\ \nEab1_").ofMaxLength(60);
        return Arbitraries.oneOf(anything, sqlish);
    }

    @Provide
    Arbitrary<List<String>> identifierLists() {
        Arbitrary<String> first = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('_')
                .ofLength(1);
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('_').ofMaxLength(12);
        Arbitrary<String> name = Combinators.combine(first, rest).as(String::concat);
        return name.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> sqlFragments() {
        return Arbitraries.of("'", "''", "\"", "`", "--", "\n", "/*", "*/", "$$", "$t$", "$1", ":", "::", ":=",
                        ":a", ":b1", "?", "??", "E'", "\\", " ", "x", "1", "[", "]", "#", "é", "(")
                .list().ofMaxSize(40)
                .map(parts -> String.join("", parts));
    }
}
