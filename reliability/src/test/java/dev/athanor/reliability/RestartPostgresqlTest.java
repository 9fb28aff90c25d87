package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class RestartPostgresqlTest extends AbstractRestartTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
