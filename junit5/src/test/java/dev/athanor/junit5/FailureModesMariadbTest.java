package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** DDL commits implicitly on MariaDB. */
class FailureModesMariadbTest extends AbstractFailureModesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
