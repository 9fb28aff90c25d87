package dev.athanor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.StatementException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamedSqlTest {

    private static void assertUnchanged(String sql) {
        NamedSql parsed = NamedSql.parse(sql);
        assertThat(parsed.jdbcSql()).isEqualTo(sql);
        assertThat(parsed.parameterOrder()).isEmpty();
    }

    @Nested
    @DisplayName("binds")
    class Binds {
        @Test
        void namesAreReplacedByQuestionMarksInOrder() {
            NamedSql sql = NamedSql.parse("INSERT INTO users (name, email) VALUES (:name, :email)");

            assertThat(sql.sql()).isEqualTo("INSERT INTO users (name, email) VALUES (:name, :email)");
            assertThat(sql.jdbcSql()).isEqualTo("INSERT INTO users (name, email) VALUES (?, ?)");
            assertThat(sql.parameterOrder()).containsExactly("name", "email");
            assertThat(sql.parameterNames()).containsExactly("name", "email");
        }

        @Test
        void repeatedNamesAppearInOrderEachTimeButOnceInNames() {
            NamedSql sql = NamedSql.parse("SELECT :a, :b, :a");

            assertThat(sql.jdbcSql()).isEqualTo("SELECT ?, ?, ?");
            assertThat(sql.parameterOrder()).containsExactly("a", "b", "a");
            assertThat(sql.parameterNames()).containsExactly("a", "b");
            assertThat(sql.bind(Map.of("a", 1, "b", 2))).containsExactly(1, 2, 1);
        }

        @Test
        void namesAdjacentToPunctuationAreBound() {
            NamedSql sql = NamedSql.parse("INSERT INTO t VALUES(:a,:b);");

            assertThat(sql.jdbcSql()).isEqualTo("INSERT INTO t VALUES(?,?);");
            assertThat(sql.parameterOrder()).containsExactly("a", "b");
            assertThat(NamedSql.parse("SELECT 1+:x*2=:y").parameterOrder()).containsExactly("x", "y");
        }

        @Test
        void nameAtEndOfInputIsBound() {
            NamedSql sql = NamedSql.parse("SELECT * FROM t WHERE id=:id");

            assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM t WHERE id=?");
            assertThat(sql.parameterOrder()).containsExactly("id");
        }

        @Test
        void namesAreCaseSensitiveAndMayHoldDigitsAndUnderscores() {
            NamedSql sql = NamedSql.parse("SELECT :Name, :name, :_x1, :a_2b");

            assertThat(sql.parameterOrder()).containsExactly("Name", "name", "_x1", "a_2b");
        }

        @Test
        void nameStopsAtFirstNonIdentifierCharacter() {
            NamedSql sql = NamedSql.parse("SELECT :a.b, :c-1, :é");

            assertThat(sql.jdbcSql()).isEqualTo("SELECT ?.b, ?-1, :é");
            assertThat(sql.parameterOrder()).containsExactly("a", "c");
        }

        @Test
        void bindValuesFollowParameterOrderAndNullValuesAreKept() {
            Map<String, Object> params = new HashMap<>();
            params.put("name", "ann");
            params.put("email", null);

            Object[] values = NamedSql.parse("UPDATE u SET email = :email WHERE name = :name").bind(params);

            assertThat(values).containsExactly(null, "ann");
        }

        @Test
        void statementWithoutBindsAcceptsNullOrEmptyMap() {
            NamedSql sql = NamedSql.parse("SELECT 1");

            assertThat(sql.bind(null)).isEmpty();
            assertThat(sql.bind(Map.of())).isEmpty();
        }
    }

    @Nested
    @DisplayName("text that is never a bind")
    class LeftAlone {
        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT 'a:b', ':name', 'it''s :x'",
            "SELECT E'it\\'s :x', e'\\\\', E'\\\\' || ':y'",
            "SELECT \"col:x\", \"a\"\":b\"",
            "SELECT `col:x`, `a``:b`",
            "SELECT 1 -- where :x\nFROM t",
            "SELECT 1 /* :x */ FROM t",
            "SELECT 1 /* outer /* :inner */ :still_comment */ FROM t",
            "SELECT $$ :x $$",
            "SELECT $fn$ body :x $$ :y $fn$",
            "SELECT $a$ :x $a$ || $b$ :y $b$",
            "SELECT x::int, '1'::json, :: , a:::b",
            "SELECT @v := 1, @w:=2",
            "SELECT arr[1:2], arr[lo:hi], arr[1 : 2], :1, : x, ':'",
            "SELECT a # b, data ? 'k', $1, $2",
            "SELECT a$b$c, x$",
        })
        void colonsInsideLiteralsIdentifiersCommentsAndOperatorsAreUntouched(String sql) {
            assertUnchanged(sql);
        }

        @Test
        void castAfterBindKeepsTheCast() {
            NamedSql sql = NamedSql.parse("SELECT :a::int, x::text");

            assertThat(sql.jdbcSql()).isEqualTo("SELECT ?::int, x::text");
            assertThat(sql.parameterOrder()).containsExactly("a");
        }

        @Test
        void bindsAroundLiteralsAndCommentsAreStillFound() {
            NamedSql sql = NamedSql.parse(
                    "SELECT :a, 'x:y', :b /* :c */, \"q:r\", :d -- :e\n, $t$ :f $t$, E'\\' :g', :h");

            assertThat(sql.parameterOrder()).containsExactly("a", "b", "d", "h");
            assertThat(sql.jdbcSql())
                    .isEqualTo("SELECT ?, 'x:y', ? /* :c */, \"q:r\", ? -- :e\n, $t$ :f $t$, E'\\' :g', ?");
        }

        @Test
        void hashIsNotAComment() {
            assertThat(NamedSql.parse("SELECT a #> :path FROM t").parameterOrder()).containsExactly("path");
        }

        @Test
        void lineCommentEndsAtCarriageReturnToo() {
            assertThat(NamedSql.parse("SELECT -- c\r:a").parameterOrder()).containsExactly("a");
        }

        @Test
        void backslashEscapesOnlyInEscapeStrings() {
            // In a standard literal the backslash is an ordinary character: 'a\' ends the literal.
            assertThat(NamedSql.parse("SELECT 'a\\', :x").parameterOrder()).containsExactly("x");
            // NAME'...' is not an escape string: the E must stand alone.
            assertThat(NamedSql.parse("SELECT typE'a\\', :x").parameterOrder()).containsExactly("x");
            assertThat(NamedSql.parse("SELECT E'a\\', :x'").parameterOrder()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT 'unterminated :x",
            "SELECT E'unterminated \\",
            "SELECT \"unterminated :x",
            "SELECT `unterminated :x",
            "SELECT 1 /* unterminated :x",
            "SELECT 1 /* nested /* :x */ still open",
            "SELECT 1 -- :x",
            "SELECT $$ unterminated :x",
            "SELECT $tag$ :x $tag",
            "SELECT 1 /",
            "SELECT 1 -",
            "SELECT 'a''",
            ":",
            "$",
            "",
        })
        void unterminatedTextRunsToTheEndWithoutFailing(String sql) {
            assertUnchanged(sql);
        }
    }

    @Nested
    @DisplayName("positional parameters")
    class Positional {
        @Test
        void questionMarksAloneAreLeftAsIs() {
            assertUnchanged("SELECT * FROM t WHERE a = ? AND b = ?");
        }

        @Test
        void mixingNamedAndPositionalIsRefused() {
            assertThatThrownBy(() -> NamedSql.parse("SELECT * FROM t WHERE a = :a AND b = ?"))
                    .isInstanceOf(StatementException.class)
                    .hasMessageContaining("mixes :name and ? parameters")
                    .satisfies(e -> {
                        StatementException se = (StatementException) e;
                        assertThat(se.sql()).isEqualTo("SELECT * FROM t WHERE a = :a AND b = ?");
                        assertThat(se.bindNames()).containsExactly("a");
                        assertThat(se.getCause()).isNull();
                    });
        }

        @Test
        void questionMarksInLiteralsAndCommentsDoNotCountAsPositional() {
            NamedSql sql = NamedSql.parse("SELECT '?', \"?\", :a /* ? */ -- ?\n, $$?$$");

            assertThat(sql.parameterOrder()).containsExactly("a");
        }

        @Test
        void doubledQuestionMarkIsTheDriverEscapeNotAParameter() {
            NamedSql sql = NamedSql.parse("SELECT * FROM t WHERE data ?? :key");

            assertThat(sql.jdbcSql()).isEqualTo("SELECT * FROM t WHERE data ?? ?");
            assertThatThrownBy(() -> NamedSql.parse("SELECT data ??? :key")).isInstanceOf(StatementException.class);
        }
    }

    @Nested
    @DisplayName("bind errors")
    class BindErrors {
        private final NamedSql insert = NamedSql.parse("INSERT INTO users (name, email) VALUES (:name, :email)");

        @Test
        void missingParameterIsNamedWithTheGivenKeys() {
            assertThatThrownBy(() -> insert.bind(Map.of("name", "secret-value")))
                    .isInstanceOf(StatementException.class)
                    .hasMessage("missing value for parameter(s) :email for statement: "
                            + "INSERT INTO users (name, email) VALUES (:name, :email); given: [name]")
                    .hasMessageNotContaining("secret-value")
                    .satisfies(e -> {
                        StatementException se = (StatementException) e;
                        assertThat(se.sql()).isEqualTo(insert.sql());
                        assertThat(se.bindNames()).containsExactly("name", "email");
                    });
        }

        @Test
        void unknownParameterIsNamedWithTheStatementsNames() {
            assertThatThrownBy(() -> insert.bind(Map.of("name", "n", "email", "e", "emial", "secret-value")))
                    .isInstanceOf(StatementException.class)
                    .hasMessage("unknown parameter(s) :emial for statement: INSERT INTO users (name, email)"
                            + " VALUES (:name, :email); the statement uses: [name, email]")
                    .hasMessageNotContaining("secret-value");
        }

        @Test
        void allMissingAndAllUnknownAreReportedAtOnce() {
            assertThatThrownBy(() -> insert.bind(Map.of("nmae", "x", "emial", "y")))
                    .isInstanceOf(StatementException.class)
                    .hasMessage("missing value for parameter(s) :name, :email and unknown parameter(s) :emial, :nmae"
                            + " for statement: INSERT INTO users (name, email) VALUES (:name, :email);"
                            + " the statement uses: [name, email]; given: [emial, nmae]");
        }

        @Test
        void nullMapMeansNoParameters() {
            assertThatThrownBy(() -> insert.bind(null))
                    .isInstanceOf(StatementException.class)
                    .hasMessageStartingWith("missing value for parameter(s) :name, :email for statement:")
                    .hasMessageEndingWith("given: []");
        }

        @Test
        void nullKeyIsAnUnknownParameter() {
            Map<String, Object> params = new HashMap<>();
            params.put(null, 1);

            assertThatThrownBy(() -> NamedSql.parse("SELECT 1").bind(params))
                    .isInstanceOf(StatementException.class)
                    .hasMessageStartingWith("unknown parameter(s) :null for statement: SELECT 1");
        }

        @Test
        void bindReturnsAFreshArrayEachTime() {
            NamedSql sql = NamedSql.parse("SELECT :a");
            Object[] first = sql.bind(Map.of("a", 1));
            first[0] = 2;

            assertThat(sql.bind(Map.of("a", 1))).containsExactly(1);
        }
    }

    @Nested
    @DisplayName("statement kind")
    class Kind {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "INSERT INTO t (a) VALUES (:a) RETURNING id | true",
            "insert into t (a) values (:a) returning *  | true",
            "INSERT INTO t (a) VALUES ('returning')     | false",
            "INSERT INTO t (returning_id) VALUES (1)    | false",
            "INSERT INTO t (a) VALUES (1) -- returning  | false",
            "INSERT INTO \"returning\" VALUES (1)       | false"})
        void returningIsSeenOnlyAsAKeyword(String sql, boolean returning) {
            assertThat(NamedSql.parseUncached(sql).hasReturning()).isEqualTo(returning);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "INSERT INTO t VALUES (1)",
            "insert into t values (1)",
            "  \n\t-- leading comment\n/* block /* nested */ */ (INSERT INTO t SELECT 1)",
        })
        void insertIsRecognisedAfterWhitespaceCommentsAndParentheses(String sql) {
            assertThat(NamedSql.parse(sql).isInsert()).isTrue();
            assertThat(NamedSql.parse(sql).isQueryLike()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT 1",
            "select 1",
            "-- comment\nWITH x AS (SELECT 1) SELECT * FROM x",
            "/* c */ ((SELECT 1) UNION (SELECT 2))",
            "VALUES (1), (2)",
            "SHOW TABLES",
            "explain select 1",
            "TABLE users",
        })
        void queriesAreRecognised(String sql) {
            assertThat(NamedSql.parse(sql).isQueryLike()).isTrue();
            assertThat(NamedSql.parse(sql).isInsert()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "UPDATE t SET a = 1",
            "DELETE FROM t",
            "CREATE TABLE t (id INT)",
            "INSERTED",
            "SELECTED",
            "'SELECT'",
            "\"INSERT\"",
            "-- SELECT",
            ":a",
            "",
        })
        void otherStatementsAreNeitherInsertNorQuery(String sql) {
            assertThat(NamedSql.parseUncached(sql).isInsert()).isFalse();
            assertThat(NamedSql.parseUncached(sql).isQueryLike()).isFalse();
        }
    }

    @Nested
    @DisplayName("parse and its cache")
    class Caching {
        @Test
        void nullSqlIsRejected() {
            assertThatThrownBy(() -> NamedSql.parse(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sql must not be null");
        }

        @Test
        void sameStringGivesSameInstance() {
            String sql = "SELECT * FROM cached WHERE id = :id";

            assertThat(NamedSql.parse(sql)).isSameAs(NamedSql.parse(new String(sql)));
            assertThat(NamedSql.cacheSize()).isLessThanOrEqualTo(NamedSql.CACHE_LIMIT);
        }

        @Test
        void cacheStopsGrowingAtItsLimit() {
            NamedSql.BoundedCache cache = new NamedSql.BoundedCache(3);
            NamedSql first = cache.get("SELECT 1", NamedSql::parseUncached);
            for (int i = 2; i <= 10; i++) {
                cache.get("SELECT " + i, NamedSql::parseUncached);
            }

            assertThat(cache.size()).isEqualTo(3);
            assertThat(cache.get("SELECT 1", NamedSql::parseUncached)).isSameAs(first);
            assertThat(cache.get("SELECT 10", NamedSql::parseUncached))
                    .isNotSameAs(cache.get("SELECT 10", NamedSql::parseUncached));
        }

        @Test
        void concurrentParsesNeverOvershootTheLimit() throws Exception {
            NamedSql.BoundedCache cache = new NamedSql.BoundedCache(50);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int offset = t;
                    tasks.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 200; i++) {
                            cache.get("SELECT " + (i * 8 + offset % 3), NamedSql::parseUncached);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> task : tasks) {
                    task.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(cache.size()).isEqualTo(50);
        }

        @Test
        void mixedStatementsAreNotCachedAndFailEveryTime() {
            String sql = "SELECT :a, ? FROM never_cached";
            int before = NamedSql.cacheSize();

            assertThatThrownBy(() -> NamedSql.parse(sql)).isInstanceOf(StatementException.class);
            assertThatThrownBy(() -> NamedSql.parse(sql)).isInstanceOf(StatementException.class);
            assertThat(NamedSql.cacheSize()).isLessThanOrEqualTo(before);
        }

        @Test
        void toStringShowsJdbcSqlAndNamesOnly() {
            assertThat(NamedSql.parse("SELECT :a").toString()).isEqualTo("NamedSql[SELECT ?, parameters=[a]]");
        }
    }
}
