package dev.athanor.pool.c3p0;

import dev.athanor.testing.TestDatabase;

class C3p0BackendPostgresqlTest extends AbstractC3p0BackendTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
