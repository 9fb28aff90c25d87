package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class CommitInDoubtPostgresqlTest extends AbstractCommitInDoubtTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
