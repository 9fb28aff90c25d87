package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** DDL commits implicitly on H2. */
class FailureModesH2Test extends AbstractFailureModesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    String url() {
        return H2Url.named("rollback_failures");
    }

    @Override
    String endingStatement(String newTable) {
        return "CREATE TABLE " + newTable + " (id INT)";
    }
}
