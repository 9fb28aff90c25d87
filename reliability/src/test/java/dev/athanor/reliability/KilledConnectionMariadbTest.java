package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class KilledConnectionMariadbTest extends AbstractKilledConnectionTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
