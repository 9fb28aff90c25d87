package dev.athanor.reliability;

import dev.athanor.testing.TestDatabase;

class CommitInDoubtMariadbTest extends AbstractCommitInDoubtTest {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
