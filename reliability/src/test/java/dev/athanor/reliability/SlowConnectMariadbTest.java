package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class SlowConnectMariadbTest extends AbstractSlowConnectTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
