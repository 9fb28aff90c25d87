package dev.athanor.pool.c3p0;

import dev.athanor.testing.TestDatabase;

class C3p0BackendH2Test extends AbstractC3p0BackendTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
