package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionConcurrencyMariadbTest extends AbstractSessionConcurrencyTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected int virtualThreadTasks() {
        return 300;
    }
}
