package dev.athanor;

import dev.athanor.testing.TestDatabase;

class AutocommitMariadbTest extends AbstractAutocommitTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
