package dev.athanor.junit5;

import dev.athanor.testing.TestDatabase;

/** A named in-memory H2 database that outlives its connections, so several engines of a test class share it. */
final class H2Url {
    private H2Url() {
    }

    static String named(String prefix) {
        return "jdbc:h2:mem:" + TestDatabase.uniqueName(prefix) + ";DB_CLOSE_DELAY=-1";
    }
}
