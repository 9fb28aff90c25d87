package dev.athanor;

import dev.athanor.testing.TestDatabase;

class AutocommitPostgresqlTest extends AbstractAutocommitTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
