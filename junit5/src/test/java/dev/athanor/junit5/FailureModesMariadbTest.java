package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** DDL commits implicitly on Mariadb. */
class FailureModesMariadbTest extends AbstractFailureModesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    String url() {
        return TestDatabase.MARIADB.availableUrl();
    }

    @Override
    String endingStatement(String newTable) {
        return "CREATE TABLE " + newTable + " (id INT)";
    }
}
