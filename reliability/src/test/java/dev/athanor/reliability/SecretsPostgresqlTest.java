package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class SecretsPostgresqlTest extends AbstractSecretsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
