package dev.athanor.pool.c3p0;

import dev.athanor.testkit.SessionContract;

/** The test kit's Session, SessionFactory and ScopedSession rules over the c3p0 backend (H2, PostgreSQL, MariaDB). */
class C3p0SessionContractTest extends SessionContract {
    @Override
    protected String providerName() {
        return "c3p0";
    }
}
