package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class SecretsH2Test extends AbstractSecretsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
