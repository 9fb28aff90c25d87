package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class NoLostDataMariadbTest extends AbstractNoLostDataTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
