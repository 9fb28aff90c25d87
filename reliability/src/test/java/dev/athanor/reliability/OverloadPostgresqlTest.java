package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class OverloadPostgresqlTest extends AbstractOverloadTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
