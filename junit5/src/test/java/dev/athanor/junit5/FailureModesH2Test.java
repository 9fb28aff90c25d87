package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** DDL commits implicitly on H2. */
class FailureModesH2Test extends AbstractFailureModesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
