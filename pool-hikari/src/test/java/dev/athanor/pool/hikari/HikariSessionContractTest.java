package dev.athanor.pool.hikari;

import dev.athanor.testkit.SessionContract;

/** The test kit's Session, SessionFactory and ScopedSession rules over the hikari backend (H2, PostgreSQL, MariaDB). */
class HikariSessionContractTest extends SessionContract {
    @Override
    protected String providerName() {
        return "hikari";
    }
}
