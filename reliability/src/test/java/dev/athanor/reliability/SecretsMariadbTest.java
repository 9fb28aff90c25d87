package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class SecretsMariadbTest extends AbstractSecretsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
