package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UrlTest {

    @Nested
    @DisplayName("A valid URL is parsed into its parts")
    class Parsing {

        static Stream<Arguments> goodUrls() {
            return Stream.of(
                    // url, jdbcUrl, dialect, username, password, host, port, database
                    Arguments.of("postgresql://scott:tiger@localhost:5432/test",
                            "jdbc:postgresql://localhost:5432/test", Dialect.POSTGRESQL,
                            "scott", "tiger", "localhost", 5432, "test"),
                    Arguments.of("postgresql://scott:tiger@db.example.com/test",
                            "jdbc:postgresql://db.example.com:5432/test", Dialect.POSTGRESQL,
                            "scott", "tiger", "db.example.com", -1, "test"),
                    Arguments.of("postgresql:///test", "jdbc:postgresql://localhost:5432/test", Dialect.POSTGRESQL,
                            null, null, "localhost", -1, "test"),
                    Arguments.of("postgresql://:5433/x", "jdbc:postgresql://localhost:5433/x", Dialect.POSTGRESQL,
                            null, null, "localhost", 5433, "x"),
                    Arguments.of("postgresql://h", "jdbc:postgresql://h:5432/", Dialect.POSTGRESQL,
                            null, null, "h", -1, null),
                    Arguments.of("postgresql://scott:p%40ss@h/db", "jdbc:postgresql://h:5432/db", Dialect.POSTGRESQL,
                            "scott", "p@ss", "h", -1, "db"),
                    Arguments.of("postgresql://scott:p@ss@h/db", "jdbc:postgresql://h:5432/db", Dialect.POSTGRESQL,
                            "scott", "p@ss", "h", -1, "db"),
                    Arguments.of("postgresql://scott:a/b?c:d@h/db", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, "scott", "a/b?c:d", "h", -1, "db"),
                    Arguments.of("postgresql://us%3Aer:a+b%20c@h/db", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, "us:er", "a+b c", "h", -1, "db"),
                    Arguments.of("postgresql://scott:%E2%82%AC@h/db", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, "scott", "\u20ac", "h", -1, "db"),
                    Arguments.of("postgresql://scott:@h/db", "jdbc:postgresql://h:5432/db", Dialect.POSTGRESQL,
                            "scott", "", "h", -1, "db"),
                    Arguments.of("postgresql://scott:tiger@[::1]:5433/test", "jdbc:postgresql://[::1]:5433/test",
                            Dialect.POSTGRESQL, "scott", "tiger", "::1", 5433, "test"),
                    Arguments.of("postgresql://[fe80::1%25eth0]/test", "jdbc:postgresql://[fe80::1%25eth0]:5432/test",
                            Dialect.POSTGRESQL, null, null, "fe80::1%25eth0", -1, "test"),
                    Arguments.of("PostgreSQL://h/db", "jdbc:postgresql://h:5432/db", Dialect.POSTGRESQL,
                            null, null, "h", -1, "db"),
                    Arguments.of("  postgresql://h/db \n", "jdbc:postgresql://h:5432/db", Dialect.POSTGRESQL,
                            null, null, "h", -1, "db"),
                    Arguments.of("postgresql://h/db?email=a@b.example", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, null, null, "h", -1, "db"),
                    Arguments.of("postgresql://h/db?user=scott&password=tiger", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, "scott", "tiger", "h", -1, "db"),
                    Arguments.of("postgresql://scott@h/db?password=tiger", "jdbc:postgresql://h:5432/db",
                            Dialect.POSTGRESQL, "scott", "tiger", "h", -1, "db"),
                    Arguments.of("mysql://root@127.0.0.1/shop", "jdbc:mysql://127.0.0.1:3306/shop", Dialect.MYSQL,
                            "root", null, "127.0.0.1", -1, "shop"),
                    Arguments.of("mysql+mariadb://root:pw@h:3307/shop", "jdbc:mariadb://h:3307/shop", Dialect.MYSQL,
                            "root", "pw", "h", 3307, "shop"),
                    Arguments.of("mariadb://h/shop", "jdbc:mariadb://h:3306/shop", Dialect.MARIADB,
                            null, null, "h", -1, "shop"),
                    Arguments.of("mariadb+mysql://h/shop", "jdbc:mysql://h:3306/shop", Dialect.MARIADB,
                            null, null, "h", -1, "shop"),
                    Arguments.of("h2://sa@localhost:9092/~/test", "jdbc:h2:tcp://localhost:9092/~/test", Dialect.H2,
                            "sa", null, "localhost", 9092, "~/test"),
                    Arguments.of("h2://db.internal/mem:shared", "jdbc:h2:tcp://db.internal/mem:shared", Dialect.H2,
                            null, null, "db.internal", -1, "mem:shared"),
                    Arguments.of("h2:mem:demo", "jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1", Dialect.H2,
                            null, null, null, -1, "demo"),
                    Arguments.of("h2:mem:x;MODE=PostgreSQL", "jdbc:h2:mem:x;MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
                            Dialect.H2, null, null, null, -1, "x"),
                    Arguments.of("h2:mem:x;db_close_delay=10;", "jdbc:h2:mem:x;db_close_delay=10", Dialect.H2,
                            null, null, null, -1, "x"),
                    Arguments.of("h2:file:./data/app", "jdbc:h2:file:./data/app", Dialect.H2,
                            null, null, null, -1, "./data/app"),
                    Arguments.of("h2:file:/var/db/app;AUTO_SERVER=TRUE", "jdbc:h2:file:/var/db/app;AUTO_SERVER=TRUE",
                            Dialect.H2, null, null, null, -1, "/var/db/app"),
                    Arguments.of("sqlite:///relative/path.db", "jdbc:sqlite:relative/path.db", Dialect.SQLITE,
                            null, null, null, -1, "relative/path.db"),
                    Arguments.of("sqlite:////abs/path.db", "jdbc:sqlite:/abs/path.db", Dialect.SQLITE,
                            null, null, null, -1, "/abs/path.db"),
                    Arguments.of("sqlite://", "jdbc:sqlite::memory:", Dialect.SQLITE,
                            null, null, null, -1, ":memory:"),
                    Arguments.of("sqlite:///:memory:", "jdbc:sqlite::memory:", Dialect.SQLITE,
                            null, null, null, -1, ":memory:"),
                    Arguments.of("jdbc:postgresql://h/db?user=scott&password=tiger",
                            "jdbc:postgresql://h/db?user=scott&password=tiger", Dialect.POSTGRESQL,
                            null, null, null, -1, null),
                    Arguments.of("jdbc:mariadb://h:3306/shop", "jdbc:mariadb://h:3306/shop", Dialect.MARIADB,
                            null, null, null, -1, null),
                    Arguments.of("jdbc:mysql://h/shop", "jdbc:mysql://h/shop", Dialect.MYSQL,
                            null, null, null, -1, null),
                    Arguments.of("jdbc:h2:mem:", "jdbc:h2:mem:", Dialect.H2, null, null, null, -1, null),
                    Arguments.of("jdbc:sqlite:app.db", "jdbc:sqlite:app.db", Dialect.SQLITE,
                            null, null, null, -1, null),
                    Arguments.of("jdbc:oracle:thin:@//h:1521/svc", "jdbc:oracle:thin:@//h:1521/svc", Dialect.GENERIC,
                            null, null, null, -1, null));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("goodUrls")
        void partsAreParsed(String text, String jdbcUrl, Dialect dialect, String username, String password,
                String host, int port, String database) {
            Url url = Url.parse(text);

            assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
            assertThat(url.dialect()).isEqualTo(dialect);
            assertThat(url.username()).isEqualTo(username);
            assertThat(url.password()).isEqualTo(password);
            assertThat(url.host()).isEqualTo(host);
            assertThat(url.port()).isEqualTo(port);
            assertThat(url.database()).isEqualTo(database);
            assertThat(url.isRawJdbc()).isEqualTo(text.startsWith("jdbc:"));
        }

        @ParameterizedTest(name = "{0} -> {1} {2}")
        @CsvSource({
            "postgresql://h/db, postgresql, ",
            "mysql+mariadb://h/db, mysql, mariadb",
            "MySQL+MariaDB://h/db, mysql, mariadb",
            "postgresql+postgresql://h/db, postgresql, postgresql",
            "h2:mem:x, h2, ",
            "jdbc:oracle:thin:@h:1521:orcl, oracle, ",
            "jdbc:log4jdbc:mysql://h/db, log4jdbc, ",
        })
        void dialectNameAndDriverAreReported(String text, String dialectName, String driver) {
            Url url = Url.parse(text);

            assertThat(url.dialectName()).isEqualTo(dialectName);
            assertThat(url.driver()).isEqualTo(java.util.Optional.ofNullable(driver));
        }

        @Test
        void queryParametersAreDecodedInOrderAndBecomeDriverProperties() {
            Url url = Url.parse("postgresql://scott:tiger@h/db?sslmode=require&options=-c%20search_path%3Dapp"
                    + "&ApplicationName=athanor&flag&&tz=%2B02:00");

            assertThat(url.query()).containsExactly(
                    Map.entry("sslmode", "require"),
                    Map.entry("options", "-c search_path=app"),
                    Map.entry("ApplicationName", "athanor"),
                    Map.entry("flag", ""),
                    Map.entry("tz", "+02:00"));
            Properties props = url.driverProperties();
            assertThat(props).containsEntry("sslmode", "require")
                    .containsEntry("options", "-c search_path=app")
                    .containsEntry("user", "scott")
                    .containsEntry("password", "tiger")
                    .hasSize(7);
            assertThat(url.jdbcUrl()).doesNotContain("scott").doesNotContain("tiger").doesNotContain("sslmode");
        }

        @Test
        void credentialsFromTheQueryAreNotQueryParameters() {
            Url url = Url.parse("postgresql://h/db?user=scott&password=tiger&ssl=true");

            assertThat(url.query()).containsOnlyKeys("ssl");
            assertThat(url.driverProperties()).containsEntry("user", "scott").containsEntry("password", "tiger");
        }

        @Test
        void queryIsUnmodifiableAndDriverPropertiesAreAFreshCopy() {
            Url url = Url.parse("postgresql://scott@h/db?ssl=true");

            assertThrows(UnsupportedOperationException.class, () -> url.query().put("x", "y"));
            url.driverProperties().setProperty("ssl", "false");
            assertThat(url.driverProperties()).containsEntry("ssl", "true").containsEntry("user", "scott")
                    .doesNotContainKey("password");
        }

        @Test
        void rawJdbcUrlCredentialsAreNotExtracted() {
            Url url = Url.parse("jdbc:postgresql://h/db?user=scott&password=tiger");

            assertThat(url.username()).isNull();
            assertThat(url.password()).isNull();
            assertThat(url.query()).isEmpty();
            assertThat(url.driverProperties()).isEmpty();
        }
    }

    @Nested
    @DisplayName("A malformed URL fails with a ConfigurationException naming the bad part")
    class Errors {

        static Stream<Arguments> badUrls() {
            return Stream.of(
                    // url, fragments the message must contain
                    Arguments.of("", new String[] {"Invalid database URL '':", "empty"}),
                    Arguments.of("   ", new String[] {"blank"}),
                    Arguments.of("foo://h/db", new String[] {"unknown dialect 'foo'",
                        "postgresql, mysql, mariadb, h2, sqlite, or a raw jdbc: URL"}),
                    Arguments.of("generic://h/db", new String[] {"unknown dialect 'generic'"}),
                    Arguments.of("postgres://scott:tiger@h/db", new String[] {
                        "'postgres://scott:***@h/db'", "unknown dialect 'postgres'", "did you mean postgresql?"}),
                    Arguments.of("://h/db", new String[] {"dialect before '://' is missing"}),
                    Arguments.of("postgresql:/h/db", new String[] {"expected '://' after 'postgresql'"}),
                    Arguments.of("sqlite:app.db", new String[] {"expected '://' after 'sqlite'", "sqlite:///"}),
                    Arguments.of("localhost:5432", new String[] {"unknown dialect 'localhost'"}),
                    Arguments.of("just-text", new String[] {"expected dialect://"}),
                    Arguments.of("postgresql+psycopg2://h/db", new String[] {
                        "unknown driver 'psycopg2' for dialect postgresql", "valid: postgresql"}),
                    Arguments.of("mysql+://h/db", new String[] {"driver after '+' is empty", "mysql, mariadb"}),
                    Arguments.of("postgresql://scott:tiger@h:abc/db", new String[] {
                        "'postgresql://scott:***@h:abc/db'", "the port 'abc' is not a number", "1..65535"}),
                    Arguments.of("postgresql://h:0/db", new String[] {"the port '0' is out of range"}),
                    Arguments.of("postgresql://h:65536/db", new String[] {"the port '65536' is out of range"}),
                    Arguments.of("postgresql://h:99999999999999/db", new String[] {"out of range"}),
                    Arguments.of("postgresql://h:/db", new String[] {"the port after ':' is empty"}),
                    Arguments.of("postgresql://h:-1/db", new String[] {"the port '-1' is not a number"}),
                    Arguments.of("postgresql://ho st/db", new String[] {"the host 'ho st' contains ' '"}),
                    Arguments.of("h2://h1,h2/db", new String[] {"several hosts", "postgresql, mysql and mariadb only"}),
                    Arguments.of("postgresql://[::1/db", new String[] {"no closing ']'"}),
                    Arguments.of("postgresql://[zz]/db", new String[] {"'[zz]' is not an IPv6 address"}),
                    Arguments.of("postgresql://[::1]x/db", new String[] {"after the IPv6 address"}),
                    Arguments.of("postgresql://sc%zzott@h/db", new String[] {"the user name has an invalid percent"}),
                    Arguments.of("postgresql://scott:ti%zzger@h/db", new String[] {
                        "'postgresql://scott:***@h/db'", "the password has an invalid percent escape"}),
                    Arguments.of("postgresql://scott:tiger%@h/db", new String[] {"password has an invalid percent"}),
                    Arguments.of("postgresql://scott:%C3%28@h/db", new String[] {"password is not valid UTF-8"}),
                    Arguments.of("postgresql://h/db?=x", new String[] {"query parameter #1 has an empty name"}),
                    Arguments.of("postgresql://h/db?a=1&=x", new String[] {"query parameter #2 has an empty name"}),
                    Arguments.of("postgresql://h/db?a=%E0%A4", new String[] {
                        "the value of query parameter 'a' is not valid UTF-8"}),
                    Arguments.of("postgresql://h/db?a=1&a=2", new String[] {"query parameter 'a' is given twice"}),
                    Arguments.of("postgresql://scott:tiger@h/db?password=other", new String[] {
                        "password given twice", "in the user info and as query parameter 'password'"}),
                    Arguments.of("postgresql://h/db?password=a&password=b", new String[] {
                        "query parameter 'password' is given twice"}),
                    Arguments.of("postgresql://scott@h/db?user=bob", new String[] {"user name given twice"}),
                    Arguments.of("postgresql://h/\tdb", new String[] {"control character (U+0009) at index 15"}),
                    Arguments.of("postgresql://h/d\nb", new String[] {"postgresql://h/d\\u000ab"}),
                    Arguments.of("h2://localhost", new String[] {"h2 server URL needs a database path"}),
                    Arguments.of("h2:mem:", new String[] {"h2:mem: needs a database name"}),
                    Arguments.of("h2:mem:;MODE=MySQL", new String[] {"h2:mem: needs a database name"}),
                    Arguments.of("h2:file:", new String[] {"h2:file: needs a path"}),
                    Arguments.of("h2:tcp://h/db", new String[] {"after 'h2:' expected mem:NAME"}),
                    Arguments.of("h2:mem:x?user=sa", new String[] {"H2 settings follow ';'"}),
                    Arguments.of("h2:mem:x;MODE", new String[] {"the H2 setting 'MODE' is not KEY=VALUE"}),
                    Arguments.of("sqlite://host/app.db", new String[] {"sqlite URL has no host"}),
                    Arguments.of("jdbc:", new String[] {"needs a sub-protocol"}),
                    Arguments.of("jdbc::foo", new String[] {"needs a sub-protocol"}),
                    Arguments.of("jdbc:postgresql", new String[] {"expected ':' after the JDBC sub-protocol"}),
                    Arguments.of("jdbc:post gres:x", new String[] {"sub-protocol 'post gres' may contain only"}));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @MethodSource("badUrls")
        void messageQuotesTheMaskedUrlAndNamesTheBadPart(String text, String[] fragments) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Url.parse(text));

            assertThat(e).as("exception for %s", text).isNotNull();
            assertThat(e.getMessage()).startsWith("Invalid database URL '").contains(fragments);
            assertThat(e.getCause()).isNull();
        }

        @Test
        void nullIsRejectedWithAPlainMessage() {
            assertThatThrownBy(() -> Url.parse(null))
                    .isExactlyInstanceOf(ConfigurationException.class)
                    .hasMessage("database URL must not be null");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', value = {
            "postgresql://scott:ti%zzger@h/db",
            "postgresql://scott:tiger%@h/db:x",
            "postgresql://scott:tiger/x@h:abc/db",
            "postgresql://scott:tiger@h:abc/db",
            "postgresql://scott:tiger@h/db?password=tiger",
            "postgres://scott:tiger@h/db",
            "scott:tiger@h/db",
            "postgresql//scott:tiger@h/db",
            "postgresql://h/db?password=tiger&=x",
            "postgresql://h/db?pass%77ord=tiger&a=%zz",
            "postgresql://h:5432/db?sslpassword=tiger&x=%",
            "sqlite://scott:tiger@/x.db",
            "h2:mem:x;PASSWORD=tiger;BROKEN",
            "h2:mem:x?password=tiger",
            "jdbc:sc ott:tiger@h",
            "jdbc:pg sql://scott:tiger@h/db",
        })
        void messageNeverContainsThePassword(String text) {
            ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Url.parse(text));

            assertThat(e).as("exception for %s", text).isNotNull();
            assertThat(e.getMessage()).doesNotContain("tiger").doesNotContain("tig");
        }
    }

    @Nested
    @DisplayName("toString and render(true) mask the password in every form")
    class Masking {

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', value = {
            "postgresql://scott:tiger@localhost:5432/test | postgresql://scott:***@localhost:5432/test",
            "postgresql://scott@h/db                       | postgresql://scott@h/db",
            "postgresql://scott:@h/db                      | postgresql://scott:***@h/db",
            "postgresql://scott:p@ss@h/db                  | postgresql://scott:***@h/db",
            "postgresql://scott:p%40ss@h/db                | postgresql://scott:***@h/db",
            "postgresql://h/db?user=scott&password=tiger   | postgresql://h/db?user=scott&password=***",
            "postgresql://h/db?password=tiger&ssl=true     | postgresql://h/db?password=***&ssl=true",
            "postgresql://h/db?sslpassword=tiger           | postgresql://h/db?sslpassword=***",
            "postgresql://h/db?email=a@b                   | postgresql://h/db?email=a@b",
            "postgresql://h/db?a=b:tiger@x                 | postgresql://h/db?a=b:***@x",
            "sqlite:///app.db?password=tiger               | sqlite:///app.db?password=***",
            "jdbc:postgresql://h/db?user=scott&password=tiger&ssl=true "
                    + "| jdbc:postgresql://h/db?user=scott&password=***&ssl=true",
            "jdbc:h2:mem:x;USER=sa;PASSWORD=tiger          | jdbc:h2:mem:x;USER=sa;PASSWORD=***",
            "jdbc:mysql://scott:tiger@h:3306/db            | jdbc:mysql://scott:***@h:3306/db",
            "jdbc:oracle:thin:scott/tiger@//h:1521/svc     | jdbc:oracle:thin:***@//h:1521/svc",
            "jdbc:oracle:thin:@//h:1521/svc                | jdbc:oracle:thin:@//h:1521/svc",
            "jdbc:mysql://scott:@h/db                      | jdbc:mysql://scott:@h/db",
            "jdbc:sqlserver://h;user=sa;password=tiger;db=x | jdbc:sqlserver://h;user=sa;password=***;db=x",
            "h2:mem:x;PASSWORD=tiger;MODE=MySQL            | h2:mem:x;PASSWORD=***;MODE=MySQL",
            "h2:mem:demo                                   | h2:mem:demo",
        })
        void passwordIsMasked(String text, String expected) {
            Url url = Url.parse(text);

            assertThat(url.toString()).isEqualTo(expected);
            assertThat(url.render(true)).isEqualTo(expected);
            assertThat(url.render(false)).isEqualTo(text);
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource(delimiter = '|', value = {
            "postgresql://scott:tiger@h:abc/db     | postgresql://scott:***@h:abc/db",
            "postgresql://scott:ti/ger@h/db        | postgresql://scott:***@h/db",
            "scott:tiger@host/db                   | scott:***@host/db",
            "x?password=tiger&y=1                  | x?password=***&y=1",
            "x;Password=tiger;y=1                  | x;Password=***;y=1",
            "x?pass%77ord=tiger                    | x?pass%77ord=***",
            "postgresql://scott:tiger@h/db?e=a@b   | postgresql://scott:***@b",
            "jdbc:oracle:thin:scott/tiger@//h/x://y:z@w | jdbc:oracle:thin:***@w",
            "a:tiger@b://c:d@e                     | a:***@e",
            "no secrets here                       | no secrets here",
        })
        void maskWorksOnTextThatDoesNotParse(String text, String expected) {
            assertThat(Url.mask(text)).isEqualTo(expected);
        }

        @Test
        void maskOfNullIsTheWordNull() {
            assertThat(Url.mask(null)).isEqualTo("null");
        }
    }

    @Nested
    @DisplayName("withPassword gives a new URL")
    class WithPassword {

        @ParameterizedTest(name = "{0} + {1}")
        @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "postgresql://scott:tiger@h/db        | s3cret  | postgresql://scott:s3cret@h/db",
            "postgresql://scott@h/db              | s3cret  | postgresql://scott:s3cret@h/db",
            "postgresql://h/db                    | s3cret  | postgresql://h/db?password=s3cret",
            "postgresql://h/db?ssl=true           | s3cret  | postgresql://h/db?ssl=true&password=s3cret",
            "postgresql://h/db?password=old&a=1   | s3cret  | postgresql://h/db?password=s3cret&a=1",
            "postgresql://scott:tiger@h/db        | p@ss/w:d | postgresql://scott:p%40ss%2Fw%3Ad@h/db",
            "sqlite:///app.db                     | s3cret  | sqlite:///app.db?password=s3cret",
            "postgresql://scott:tiger@h/db        | NULL    | postgresql://scott@h/db",
            "postgresql://h/db?password=old       | NULL    | postgresql://h/db",
            "postgresql://h/db?password=old&a=1   | NULL    | postgresql://h/db?a=1",
            "postgresql://h/db?a=1&password=old   | NULL    | postgresql://h/db?a=1",
            "postgresql://h/db?a=1&password=x&b=2 | NULL    | postgresql://h/db?a=1&b=2",
            "postgresql://h/db                    | NULL    | postgresql://h/db",
        })
        void dialectFormTextIsRewritten(String text, String newPassword, String expected) {
            Url original = Url.parse(text);
            Url changed = original.withPassword(newPassword);

            assertThat(changed.render(false)).isEqualTo(expected);
            assertThat(changed.password()).isEqualTo(newPassword);
            assertThat(changed.jdbcUrl()).isEqualTo(original.jdbcUrl());
            assertThat(changed).isEqualTo(Url.parse(expected));
        }

        @Test
        void rawJdbcUrlKeepsItsTextAndGetsThePasswordAsAProperty() {
            Url original = Url.parse("jdbc:h2:mem:x");
            Url changed = original.withPassword("s3cret");

            assertThat(changed.jdbcUrl()).isEqualTo("jdbc:h2:mem:x");
            assertThat(changed.password()).isEqualTo("s3cret");
            assertThat(changed.driverProperties()).containsEntry("password", "s3cret");
            assertThat(changed.toString()).doesNotContain("s3cret");
            assertThat(changed).isNotEqualTo(original);
            assertThat(original.password()).isNull();
        }

        @Test
        void unpairedSurrogateIsRejected() {
            Url url = Url.parse("postgresql://h/db");

            assertThatThrownBy(() -> url.withPassword("a\ud800b"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("unpaired surrogate");
        }
    }

    @Nested
    @DisplayName("Equality follows the text")
    class Equality {

        @Test
        void sameTextIsEqual() {
            assertThat(Url.parse("postgresql://scott:tiger@h/db"))
                    .isEqualTo(Url.parse(" postgresql://scott:tiger@h/db "))
                    .hasSameHashCodeAs(Url.parse("postgresql://scott:tiger@h/db"));
        }

        @Test
        void differentTextForTheSameDatabaseIsNotEqual() {
            assertThat(Url.parse("postgresql://h:5432/db")).isNotEqualTo(Url.parse("postgresql://h/db"));
            assertThat(Url.parse("postgresql://scott:a@h/db")).isNotEqualTo(Url.parse("postgresql://scott:b@h/db"));
        }
    }

    @Nested
    @DisplayName("Dialect")
    class Dialects {

        @ParameterizedTest(name = "[{index}] {0}")
        @CsvSource({
            "postgresql, POSTGRESQL, 5432",
            "MySQL, MYSQL, 3306",
            "mariadb, MARIADB, 3306",
            "h2, H2, -1",
            "sqlite, SQLITE, -1",
            "generic, GENERIC, -1",
        })
        void fromIdIgnoresCase(String id, Dialect expected, int defaultPort) {
            assertThat(Dialect.fromId(id)).isEqualTo(expected);
            assertThat(expected.defaultPort()).isEqualTo(defaultPort);
            assertThat(expected.id()).isEqualToIgnoringCase(id);
        }

        @Test
        void unknownIdListsTheValidOnes() {
            assertThatThrownBy(() -> Dialect.fromId("oracle"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("'oracle'")
                    .hasMessageContaining("postgresql, mysql, mariadb, h2, sqlite, generic");
            assertThatThrownBy(() -> Dialect.fromId(null)).isInstanceOf(ConfigurationException.class);
        }

        @ParameterizedTest(name = "{0} {1} -> {2}")
        @CsvSource(nullValues = "NULL", value = {
            "POSTGRESQL, PT1.5S, 2",
            "POSTGRESQL, PT0.1S, 1",
            "POSTGRESQL, PT30S, 30",
            "MARIADB, PT1.5S, 1500",
            "MYSQL, PT0.0000001S, 1",
            "MYSQL, PT10S, 10000",
            "POSTGRESQL, PT10000000000S, 2147483647",
            "MYSQL, PT10000000000S, 2147483647",
            "H2, PT5S, NULL",
            "SQLITE, PT5S, NULL",
            "GENERIC, PT5S, NULL",
        })
        void connectTimeoutIsSetInTheDriversUnit(Dialect dialect, Duration timeout, String expected) {
            Properties props = new Properties();

            boolean applied = dialect.applyConnectTimeout(props, timeout);

            assertThat(applied).isEqualTo(expected != null);
            assertThat(props.getProperty("connectTimeout")).isEqualTo(expected);
            assertThat(props.getProperty("loginTimeout")).isEqualTo(dialect == Dialect.POSTGRESQL ? expected : null);
        }

        @Test
        void connectTimeoutMustBePositive() {
            assertThatThrownBy(() -> Dialect.POSTGRESQL.applyConnectTimeout(new Properties(), Duration.ZERO))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("connectTimeout must be > 0");
            assertThatThrownBy(() -> Dialect.H2.applyConnectTimeout(new Properties(), Duration.ofSeconds(-1)))
                    .isInstanceOf(ConfigurationException.class);
        }

        @Test
        void savepointsAndPing() {
            for (Dialect d : Dialect.values()) {
                assertThat(d.pingQuery()).isEqualTo("SELECT 1");
                assertThat(d.supportsSavepoints()).isEqualTo(d != Dialect.GENERIC);
            }
        }
    }
}
