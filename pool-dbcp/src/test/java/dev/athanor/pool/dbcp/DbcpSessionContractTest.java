package dev.athanor.pool.dbcp;

import dev.athanor.testkit.SessionContract;

/** The test kit's Session, SessionFactory and ScopedSession rules over the dbcp backend (H2, PostgreSQL, MariaDB). */
class DbcpSessionContractTest extends SessionContract {
    @Override
    protected String providerName() {
        return "dbcp";
    }
}
