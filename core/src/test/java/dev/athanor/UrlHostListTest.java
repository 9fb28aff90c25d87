package dev.athanor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlHostListTest {

    @Test
    void aPostgresqlHostListBecomesPgjdbcsHostListWithTargetServerTypeAsAProperty() {
        Url url = Url.parse("postgresql://scott:tiger@h1:5434,h2:5435/test?targetServerType=primary");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5434,h2:5435/test");
        assertThat(url.hosts()).containsExactly(new Url.Host("h1", 5434), new Url.Host("h2", 5435));
        assertThat(url.host()).isEqualTo("h1");
        assertThat(url.port()).isEqualTo(5434);
        assertThat(url.driverProperties()).containsEntry("targetServerType", "primary")
                .containsEntry("password", "tiger");
        assertThat(url.haMode()).isEmpty();
    }

    @Test
    void theHostListMasksThePasswordInToStringAndInErrors() {
        Url url = Url.parse("postgresql://scott:tiger@h1:5434,h2:5435/test?targetServerType=primary");
        assertThat(url.toString())
                .isEqualTo("postgresql://scott:***@h1:5434,h2:5435/test?targetServerType=primary");
        assertThatThrownBy(() -> Url.parse("postgresql://scott:tiger@h1:5434,h2:x/test"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'postgresql://scott:***@h1:5434,h2:x/test'")
                .hasMessageContaining("the port 'x' is not a number")
                .hasMessageNotContaining("tiger");
        assertThatThrownBy(() -> Url.parse("mariadb://root:s3cret@h1,h2/test"))
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void hostsWithoutPortsUseTheDialectsDefaultAndIpv6HostsKeepTheirBrackets() {
        Url url = Url.parse("postgresql://[::1]:5434,db2,[fe80::1]/test");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5434,db2:5432,[fe80::1]:5432/test");
        assertThat(url.hosts()).extracting(Url.Host::toString).containsExactly("[::1]:5434", "db2", "[fe80::1]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mariadb://root@h1:3307,h2:3308/test?haMode=sequential   | jdbc:mariadb:sequential://h1:3307,h2:3308/test
            mariadb://root@h1:3307,h2:3308/test?haMode=loadbalance  | jdbc:mariadb:loadbalance://h1:3307,h2:3308/test
            mysql+mariadb://h1,h2/test?haMode=sequential&a=b        | jdbc:mariadb:sequential://h1:3306,h2:3306/test
            mariadb://h1:3307/test?haMode=sequential                | jdbc:mariadb:sequential://h1:3307/test
            mysql://h1:3307,h2:3308/test                            | jdbc:mysql://h1:3307,h2:3308/test
            """)
    void mariadbsHaModeBecomesPartOfTheJdbcUrlNotAProperty(String text, String jdbcUrl) {
        Url url = Url.parse(text);
        assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(url.driverProperties()).doesNotContainKey("haMode");
        assertThat(url.query()).doesNotContainKey("haMode");
        assertThat(url.toString()).isEqualTo(text); // rendered as written
    }

    @Test
    void haModeIsReportedAndSurvivesANewPassword() {
        Url url = Url.parse("mariadb://athanor:pw@h1:3307,h2:3308/test?haMode=sequential");
        assertThat(url.haMode()).contains("sequential");
        Url changed = url.withPassword("other");
        assertThat(changed.jdbcUrl()).isEqualTo(url.jdbcUrl());
        assertThat(changed.hosts()).isEqualTo(url.hosts());
        assertThat(changed.password()).isEqualTo("other");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mariadb://h1:3307,h2:3308/test            | need query parameter haMode           | sequential, loadbalance
            mariadb://h1,h2/test?haMode=replication   | haMode 'replication' is not supported | sequential, loadbalance
            mariadb://h1,h2/test?haMode=SEQUENTIAL    | haMode 'SEQUENTIAL' is not supported  | sequential, loadbalance
            postgresql://h1,h2/test?haMode=sequential | 'haMode' is MariaDB Connector/J's     | targetServerType=primary
            mysql://h1,h2/test?haMode=sequential      | 'haMode' is MariaDB Connector/J's     | mysql+mariadb://
            postgresql://h/test?targetServerType=main | targetServerType 'main' is not one    | any, primary, secondary
            postgresql://h1,,h2/test                  | host #2 of the host list is empty     | host[:port],host[:port]
            postgresql://h1,/test                     | host #2 of the host list is empty     | host[:port],host[:port]
            postgresql://h1:5434,h2:70000/test        | the port '70000' is out of range      | 1..65535
            postgresql://h1,h 2/test                  | the host 'h 2' contains ' '           | letters, digits
            h2://h1,h2/test                           | several hosts                         | mysql and mariadb only
            """)
    void aBadHostListOrFailoverParameterIsRefusedNamingTheValueAndTheValidChoices(String text, String what,
                                                                                 String valid) {
        assertThatThrownBy(() -> Url.parse(text)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(what).hasMessageContaining(valid);
    }

    @Test
    void singleHostUrlsListOneHostAndShorthandsNone() {
        assertThat(Url.parse("postgresql://h/db").hosts()).isEqualTo(List.of(new Url.Host("h", -1)));
        assertThat(Url.parse("h2:mem:x").hosts()).isEmpty();
        assertThat(Url.parse("sqlite:///a.db").hosts()).isEmpty();
        assertThat(Url.parse("jdbc:postgresql://h1,h2/db").hosts()).isEmpty();
    }
}
