package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionConcurrencyPostgresqlTest extends AbstractSessionConcurrencyTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected int virtualThreadTasks() {
        return 300;
    }
}
