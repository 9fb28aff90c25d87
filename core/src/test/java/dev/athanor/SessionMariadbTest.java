package dev.athanor;

import dev.athanor.testing.TestDatabase;

class SessionMariadbTest extends AbstractSessionTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
