package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionPostgresqlTest extends AbstractSessionTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
