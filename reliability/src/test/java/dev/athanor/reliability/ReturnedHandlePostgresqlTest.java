package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class ReturnedHandlePostgresqlTest extends AbstractReturnedHandleTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
