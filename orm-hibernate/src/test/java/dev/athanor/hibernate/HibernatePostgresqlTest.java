package dev.athanor.hibernate;

import dev.athanor.testing.TestDatabase;

class HibernatePostgresqlTest extends AbstractHibernateTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
